// Label and field selector inputs. They apply server-side (a new list+watch), so they commit on
// Enter or blur, not per keystroke.
import { useEffect, useState } from 'react';

export interface SelectorInputsProps {
  labelSelector: string;
  fieldSelector: string;
  onApply(labelSelector: string, fieldSelector: string): void;
}

export function SelectorInputs(props: SelectorInputsProps) {
  const [label, setLabel] = useState(props.labelSelector);
  const [field, setField] = useState(props.fieldSelector);
  useEffect(() => setLabel(props.labelSelector), [props.labelSelector]);
  useEffect(() => setField(props.fieldSelector), [props.fieldSelector]);
  const commit = () => {
    if (label.trim() !== props.labelSelector || field.trim() !== props.fieldSelector)
      props.onApply(label.trim(), field.trim());
  };
  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') commit();
  };
  return (
    <>
      <input
        className="selector-input"
        aria-label="Label selector"
        placeholder="label selector: app=web"
        value={label}
        onChange={(e) => setLabel(e.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
        spellCheck={false}
      />
      <input
        className="selector-input"
        aria-label="Field selector"
        placeholder="field selector: status.phase=Running"
        value={field}
        onChange={(e) => setField(e.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
        spellCheck={false}
      />
    </>
  );
}
