import { connect, createCustomer, createPartner, expectOk, relate, type Client, type OrgHandle, type TestContext } from './harness.ts';

export interface CommerceWorld {
  operator: Client;
  provider: OrgHandle;
  reseller: OrgHandle;
  /** Joint customer of reseller and provider. */
  joint: OrgHandle;
  /** The reseller's own customer, no relationship with the provider. */
  solo: OrgHandle;
  skuId: string;
  annualOnlySkuId: string;
}

/** Provider ↔ reseller, a joint and a solo customer, a catalog with bounded SKUs. */
export async function commerceWorld(t: TestContext, operator: Client, tag: string): Promise<CommerceWorld> {
  const provider = await createPartner(t, operator, `${tag} Provider`, 'indirect_provider');
  const reseller = await createPartner(t, operator, `${tag} Reseller`, 'indirect_reseller');
  await connect(provider, reseller);
  const joint = await createCustomer(t, `${tag} Joint`);
  const solo = await createCustomer(t, `${tag} Solo`);
  await relate(reseller, joint, provider.id);
  await relate(reseller, solo);
  const product = expectOk(
    await operator.post<{ skus: { id: string }[] }>('/api/v1/operator/catalog/products', {
      name: `${tag} Suite`,
      skus: [
        { name: `${tag} Standard`, currency: 'USD', prices: { monthly: 1000, annual: 10_000 }, minQuantity: 1, maxQuantity: 500 },
        { name: `${tag} Shield`, currency: 'USD', prices: { annual: 3000 }, minQuantity: 5, maxQuantity: 50 },
      ],
    }),
    201,
  );
  return { operator, provider, reseller, joint, solo, skuId: product.skus[0]?.id ?? '', annualOnlySkuId: product.skus[1]?.id ?? '' };
}

/** One monthly-and-annual SKU (1 to 500 seats) in a product of its own; returns the SKU's id. */
export async function catalogSku(operator: Client, tag: string): Promise<string> {
  const product = expectOk(
    await operator.post<{ skus: { id: string }[] }>('/api/v1/operator/catalog/products', {
      name: `${tag} Suite`,
      skus: [{ name: `${tag} Standard`, currency: 'USD', prices: { monthly: 1000, annual: 10_000 }, minQuantity: 1, maxQuantity: 500 }],
    }),
    201,
  );
  const sku = product.skus[0];
  if (sku === undefined) throw new Error('the product has no SKU');
  return sku.id;
}
