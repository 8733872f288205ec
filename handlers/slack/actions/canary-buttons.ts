import { z } from "zod";
import type { Promotion } from "../../../src/promotion.js";

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
