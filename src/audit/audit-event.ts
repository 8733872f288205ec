/** One entry of an audit stream, with the fields every event carries named. */
export type AuditEvent = {
  /** The stream entry ID; its first part is when Redis stored the event, in ms. */
  id: string;
  at: string;
  action: string;
  actor: string;
  model: string;
  promotion: string;
  version: string;
  environment: string;
  from: string;
  to: string;
  reason: string;
  /** Every field as stored, including ones this type does not name. */
  fields: Record<string, string>;
};

/** Parses a stream entry as XRANGE returns it: an ID and a flat field/value list. */
export function parseAuditEntry(entry: [string, string[]]): AuditEvent {
  const [id, flat] = entry;
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    fields[flat[i] ?? ""] = flat[i + 1] ?? "";
  }

  const field = (name: string) => fields[name] ?? "";
  return {
    id,
    at: field("at"),
    action: field("action"),
    actor: field("actor"),
    model: field("model"),
    promotion: field("promotion"),
    version: field("version"),
    environment: field("environment"),
    from: field("from"),
    to: field("to"),
    reason: field("reason"),
    fields,
  };
}
