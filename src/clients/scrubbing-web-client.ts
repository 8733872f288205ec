import {
  WebClient,
  type WebAPICallResult,
  type WebClientOptions,
} from "@slack/web-api";
import { secretScrubber } from "../logger.js";

/**
 * A Slack Web API client that replaces every configured secret value in
 * the arguments of each call, so no message Gantry posts (card, thread
 * note, alert post, error notice) can carry a token, whatever text reached it.
 */
export class ScrubbingWebClient extends WebClient {
  private readonly scrub: (value: unknown) => unknown;

  constructor(
    token: string,
    options: WebClientOptions & { secrets: readonly string[] },
  ) {
    const { secrets, ...clientOptions } = options;
    super(token, clientOptions);
    this.scrub = secretScrubber(secrets);
  }

  override async apiCall(
    method: string,
    options?: Record<string, unknown>,
  ): Promise<WebAPICallResult> {
    return super.apiCall(
      method,
      options ? (this.scrub(options) as Record<string, unknown>) : options,
    );
  }
}
