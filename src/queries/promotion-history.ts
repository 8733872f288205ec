import { PROMOTION_STATUSES, type Promotion } from "../promotion.js";
import type { Services } from "../services.js";

export type HistoryItem = { promotion: Promotion; approvedBy: string[] };

/**
 * Lists a model's recent promotions, newest first, optionally to one
 * environment, each with the users whose approvals counted. Reads only the
 * newest promotions the store indexes per model.
 */
export async function promotionHistory(
  services: Pick<Services, "store">,
  params: { model: string; environment: string | undefined; limit: number },
): Promise<HistoryItem[]> {
  const promotions = await services.store.listByStatus(
    params.model,
    PROMOTION_STATUSES,
  );
  const matching = promotions
    .filter(
      (promotion) =>
        params.environment === undefined ||
        promotion.environment === params.environment,
    )
    .slice(0, params.limit);

  return Promise.all(
    matching.map(async (promotion) => ({
      promotion,
      approvedBy: await services.store.approvals(promotion.id),
    })),
  );
}
