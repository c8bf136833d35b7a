import { Button, Link, type ButtonProps, type LinkProps } from '@fluentui/react-components';
import { createLink } from '@tanstack/react-router';
import type { AnchorHTMLAttributes, Ref } from 'react';

type Anchor = AnchorHTMLAttributes<HTMLAnchorElement> & { ref?: Ref<HTMLAnchorElement> };

function LinkAnchor(props: Anchor & Pick<LinkProps, 'appearance' | 'inline'>) {
  return <Link {...props} as="a" />;
}

function ButtonAnchor(props: Anchor & Pick<ButtonProps, 'appearance' | 'icon' | 'iconPosition' | 'size' | 'shape'>) {
  return <Button {...props} as="a" />;
}

/** A Fluent link that navigates inside the portal (typed routes, client-side). */
export const RouterLink = createLink(LinkAnchor);
/** A Fluent button that is a link (navigation, not an action). */
export const RouterButton = createLink(ButtonAnchor);
