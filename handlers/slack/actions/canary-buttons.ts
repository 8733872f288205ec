import { z } from "zod";
import {
  approverPolicy,
  formatApprovers,
} from "../../../src/approver-policy.js";
import type { Promotion } from "../../../src/promotion.js";
import type { Services } from "../../../src/services.js";
import { stepName } from "../../../templates/canary-notes.js";

const buttonValueSchema = z.object({
  promotionId: z.string(),
  step: z.number().int().min(0),
});

/** Parses the value of a Continue or Roll back button; undefined when it is not one. */
export function parseCanaryButton(
  value: string | undefined,
): z.infer<typeof buttonValueSchema> | undefined {
  if (!value) return undefined;
  try {
    const parsed = buttonValueSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Returns true while the canary is paused at the step the button was rendered for. */
export function pausedAt(promotion: Promotion, step: number): boolean {
  return (
    promotion.status === "canary" &&
    promotion.canaryStep === step &&
    promotion.stepPhase === "paused"
  );
}

/**
 * Finds the paused canary a Continue or Roll back button was rendered for,
 * and checks that the user is one of its approvers. When either fails it
 * tells the user why and returns undefined; `action` names what the button
 * does, for that message.
 */
export async function pausedCanaryFor(params: {
  services: Services;
  value: string | undefined;
  user: string;
  action: string;
  tell: (text: string) => Promise<unknown>;
}): Promise<{ promotion: Promotion; step: number } | undefined> {
  const { services, user, tell } = params;
  const button = parseCanaryButton(params.value);
  const promotion = button
    ? await services.store.get(button.promotionId)
    : undefined;
  if (!button || !promotion) {
    await tell("This canary was not found; nothing was changed.");
    return undefined;
  }

  const policy = approverPolicy(services.slack, services.log);
  if (!(await policy.allows(user, promotion.approvers))) {
    await tell(
      `Only approvers for ${promotion.environment} may ${params.action}; they are ${formatApprovers(promotion.approvers)}. Nothing was changed.`,
    );
    return undefined;
  }
  if (!pausedAt(promotion, button.step)) {
    await tell(
      `This canary is no longer paused at ${stepName(promotion, button.step)}; nothing was changed.`,
    );
    return undefined;
  }
  return { promotion, step: button.step };
}
