// A definition list of attribute keys and values.
import type { Attribute } from '../gen/telemetry/v1/common_pb';
import { attributePairs } from '../lib/attributes';

export function KeyValues({ attributes, empty = 'none' }: { attributes: Attribute[]; empty?: string }) {
  if (attributes.length === 0) return <p className="muted">{empty}</p>;
  return (
    <dl className="kv">
      {attributePairs(attributes).map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}><dt>{k}</dt><dd>{v}</dd></div>
      ))}
    </dl>
  );
}
