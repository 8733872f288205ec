import type { ConfigRegistry, ModelEntry } from "../config/config-registry.js";
import type { AlertSubject } from "../../templates/alert-names.js";
import { classifyAlert } from "./classify.js";
import type { ReceivedAlert } from "./received-alert.js";

export type AlertContext = {
  subject: AlertSubject;
  /** The model's configuration; undefined when no repository declares the `model` label's model. */
  entry: ModelEntry | undefined;
};

/**
 * Finds the model that the alert's `model` label names (a bare name or
 * `owner/repo:name`) and classifies the alert with that repository's rules,
 * or with the default rules when the model is unknown or ambiguous.
 */
export async function resolveAlertContext(
  registry: ConfigRegistry,
  alert: ReceivedAlert,
): Promise<AlertContext> {
  const model = alert.labels.model ?? "";
  const lookup = model ? await registry.lookup(model) : undefined;
  const entry = lookup?.found ? lookup.entry : undefined;

  return {
    entry,
    subject: {
      alert,
      alertClass: classifyAlert(alert.labels, entry?.alerts?.rules ?? []),
      model: entry?.name ?? (model || "no model label"),
      modelKey: entry?.key,
    },
  };
}
