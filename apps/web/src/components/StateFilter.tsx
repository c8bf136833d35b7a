import { Field, makeStyles, Select, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  filter: { minWidth: '240px', maxWidth: '320px', marginBottom: tokens.spacingVerticalM },
});

/** A list's filter by state: "all" (the empty value) or one of `states`, each shown by `labelOf`. */
export function StateFilter<S extends string>(props: {
  label: string;
  allLabel: string;
  states: readonly S[];
  value: S | '';
  labelOf: (state: S) => string;
  onChange: (value: S | '') => void;
}) {
  const styles = useStyles();
  return (
    <Field label={props.label} className={styles.filter}>
      <Select value={props.value} onChange={(_e, d) => props.onChange(props.states.find((s) => s === d.value) ?? '')}>
        <option value="">{props.allLabel}</option>
        {props.states.map((s) => (
          <option key={s} value={s}>
            {props.labelOf(s)}
          </option>
        ))}
      </Select>
    </Field>
  );
}
