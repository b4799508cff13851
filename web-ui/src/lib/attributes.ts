// Display text of typed attribute values (the OpenTelemetry AnyValue shape).
import type { Attribute, AttributeValue } from '../gen/telemetry/v1/common_pb';

export function attributeText(v: AttributeValue | undefined): string {
  if (!v) return '';
  const value = v.value;
  switch (value.case) {
    case 'stringValue':
      return value.value;
    case 'boolValue':
    case 'intValue':
    case 'doubleValue':
      return String(value.value);
    case 'bytesValue':
      return Array.from(value.value, (b) => b.toString(16).padStart(2, '0')).join('');
    case 'arrayValue':
      return `[${value.value.values.map(attributeText).join(', ')}]`;
    case 'kvlistValue':
      return `{${value.value.values.map((a) => `${a.key}: ${attributeText(a.value)}`).join(', ')}}`;
    default:
      return '';
  }
}

/** Attributes as [key, text] pairs sorted by key. */
export function attributePairs(attrs: Attribute[]): [string, string][] {
  return attrs.map((a): [string, string] => [a.key, attributeText(a.value)]).sort((a, b) => a[0].localeCompare(b[0]));
}
