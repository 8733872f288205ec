import { describe, expect, it } from "vitest";
import { alertComment } from "../../templates/jira-alert-comment.js";
import { alertTicket } from "../../templates/jira-alert-ticket.js";
import { criticalAlertPost } from "../../templates/alert-post.js";
import { jiraRejectedNotice } from "../../templates/alert-jira-rejected.js";
import { fixtureAlerts, MODEL_KEY } from "./alert-helpers.js";

describe("alertTicket", () => {
  it("renders a drift ticket", () => {
    const [drift] = fixtureAlerts();

    const ticket = alertTicket({
      alert: drift,
      alertClass: "drift",
      model: "churn",
      modelKey: MODEL_KEY,
    });

    expect(ticket.summary).toBe(
      "Drift: ModelFeatureDrift on churn (production)",
    );
    expect(ticket.description).toMatchInlineSnapshot(`
      "h3. Drift: ModelFeatureDrift on churn (production)

      Data drift detected for churn in production

      Share of drifted columns is 0.5 (3 of 6) over the last 24h window; dataset drift threshold is 0.5.

      ||Model|churn (example-user/Hello-World:churn)|
      ||Environment|production|
      ||Alert|ModelFeatureDrift|
      ||Class|drift|
      ||Started|2024-05-14T09:30:00.000Z|
      ||Fingerprint|3c1f0a9b7d2e4f61|
      ||Sent by|Alertmanager|

      h4. Links
      * [Source|http://prometheus.example.com:9090/graph?g0.expr=model_drift_share%7Bmodel%3D%22churn%22%7D+%3E%3D+0.5&g0.tab=1]
      * [Runbook|https://runbooks.example.com/ml/feature-drift]
      * [Alertmanager|http://alertmanager.example.com:9093]

      h4. Labels
      {noformat}
      alertname="ModelFeatureDrift"
      category="drift"
      environment="production"
      model="churn"
      namespace="ml-serving"
      severity="warning"
      team="ml-platform"
      {noformat}

      h4. Annotations
      {noformat}
      description="Share of drifted columns is 0.5 (3 of 6) over the last 24h window; dataset drift threshold is 0.5."
      runbook_url="https://runbooks.example.com/ml/feature-drift"
      summary="Data drift detected for churn in production"
      {noformat}

      _Opened by Gantry. While this ticket is open, later firings of the alert with fingerprint 3c1f0a9b7d2e4f61 add comments here instead of new tickets._"
    `);
  });

  it("escapes wiki markup in annotations", () => {
    const [, critical] = fixtureAlerts();
    const alert = {
      ...critical,
      annotations: {
        summary: "rate {code} > 5% | see [dash]",
        note: "{noformat} breaks out",
      },
    };

    const ticket = alertTicket({
      alert,
      alertClass: "critical",
      model: "churn",
      modelKey: undefined,
    });

    expect(ticket.description).toContain(
      "rate \\{code\\} > 5% \\| see \\[dash\\]",
    );
    expect(ticket.description).toContain('note="{ noformat} breaks out"');
    expect(ticket.description).toContain(
      "||Model|churn (not configured in any repository)|",
    );
  });
});

describe("alertComment", () => {
  it("renders each kind of comment", () => {
    const [, critical] = fixtureAlerts("resolved");
    const week = 7 * 86_400_000;

    const comments = {
      firedAgain: alertComment(critical, { kind: "fired_again" }),
      reopened: alertComment(critical, {
        kind: "reopened",
        reopenWindowMs: week,
      }),
      closedRecently: alertComment(critical, {
        kind: "closed_recently",
        reopenWindowMs: week,
      }),
      resolved: alertComment(critical, { kind: "resolved" }),
    };

    expect(comments).toMatchInlineSnapshot(`
      {
        "closedRecently": "Alert ModelServingHighErrorRate fired again at 2024-05-14T09:41:30.000Z, within 7d of this ticket being closed. The workflow offers no transition back to an open status, so Gantry left the ticket closed; reopen it if the problem is back. [Source|http://prometheus.example.com:9090/graph?g0.expr=sum%28rate%28http_requests_total%7Bcode%3D~%225..%22%2Cmodel%3D%22churn%22%7D%5B5m%5D%29%29+%2F+sum%28rate%28http_requests_total%7Bmodel%3D%22churn%22%7D%5B5m%5D%29%29+%3E+0.05&g0.tab=1]

      churn 5xx rate above 5% for 10 minutes",
        "firedAgain": "Alert ModelServingHighErrorRate fired again at 2024-05-14T09:41:30.000Z. [Source|http://prometheus.example.com:9090/graph?g0.expr=sum%28rate%28http_requests_total%7Bcode%3D~%225..%22%2Cmodel%3D%22churn%22%7D%5B5m%5D%29%29+%2F+sum%28rate%28http_requests_total%7Bmodel%3D%22churn%22%7D%5B5m%5D%29%29+%3E+0.05&g0.tab=1]

      churn 5xx rate above 5% for 10 minutes",
        "reopened": "Gantry reopened this ticket: alert ModelServingHighErrorRate fired again at 2024-05-14T09:41:30.000Z, within 7d of the ticket being closed. [Source|http://prometheus.example.com:9090/graph?g0.expr=sum%28rate%28http_requests_total%7Bcode%3D~%225..%22%2Cmodel%3D%22churn%22%7D%5B5m%5D%29%29+%2F+sum%28rate%28http_requests_total%7Bmodel%3D%22churn%22%7D%5B5m%5D%29%29+%3E+0.05&g0.tab=1]

      churn 5xx rate above 5% for 10 minutes",
        "resolved": "Alert ModelServingHighErrorRate resolved at 2024-05-14T10:02:00.000Z (it fired since 2024-05-14T09:41:30.000Z). [Source|http://prometheus.example.com:9090/graph?g0.expr=sum%28rate%28http_requests_total%7Bcode%3D~%225..%22%2Cmodel%3D%22churn%22%7D%5B5m%5D%29%29+%2F+sum%28rate%28http_requests_total%7Bmodel%3D%22churn%22%7D%5B5m%5D%29%29+%3E+0.05&g0.tab=1]",
      }
    `);
  });
});

describe("criticalAlertPost", () => {
  it("renders a firing post with Roll back", () => {
    const [, critical] = fixtureAlerts();

    const post = criticalAlertPost({
      alert: critical,
      alertClass: "critical",
      model: "churn",
      modelKey: MODEL_KEY,
      ticket: {
        key: "MLOPS-2",
        url: "https://jira.example.test/browse/MLOPS-2",
      },
    });

    expect(post).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": ":rotating_light: Critical alert: ModelServingHighErrorRate on churn",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "fields": [
              {
                "text": "*Model:*
      churn",
                "type": "mrkdwn",
              },
              {
                "text": "*Environment:*
      production",
                "type": "mrkdwn",
              },
              {
                "text": "*Started:*
      2024-05-14T09:41:30.000Z",
                "type": "mrkdwn",
              },
              {
                "text": "*Status:*
      firing",
                "type": "mrkdwn",
              },
              {
                "text": "*Ticket:*
      <https://jira.example.test/browse/MLOPS-2|MLOPS-2>",
                "type": "mrkdwn",
              },
            ],
            "type": "section",
          },
          {
            "text": {
              "text": "churn 5xx rate above 5% for 10 minutes
      Error ratio is 0.083 on version 42 (canary step 5%).",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "alert_actions",
            "elements": [
              {
                "action_id": "alert_rollback",
                "confirm": {
                  "confirm": {
                    "text": "Roll back",
                    "type": "plain_text",
                  },
                  "deny": {
                    "text": "Cancel",
                    "type": "plain_text",
                  },
                  "text": {
                    "text": "Deploy the last good version of churn to production?",
                    "type": "mrkdwn",
                  },
                  "title": {
                    "text": "Roll back?",
                    "type": "plain_text",
                  },
                },
                "style": "danger",
                "text": {
                  "text": "Roll back",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "{"model":"example-user/Hello-World:churn","environment":"production","fingerprint":"9e8d7c6b5a403f21"}",
              },
            ],
            "type": "actions",
          },
          {
            "elements": [
              {
                "text": "fingerprint \`9e8d7c6b5a403f21\` · from Alertmanager · <http://prometheus.example.com:9090/graph?g0.expr=sum%28rate%28http_requests_total%7Bcode%3D~%225..%22%2Cmodel%3D%22churn%22%7D%5B5m%5D%29%29+%2F+sum%28rate%28http_requests_total%7Bmodel%3D%22churn%22%7D%5B5m%5D%29%29+%3E+0.05&g0.tab=1|Source> · <https://runbooks.example.com/ml/serving-errors|Runbook> · <http://alertmanager.example.com:9093|Alertmanager>",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "Critical alert: ModelServingHighErrorRate on churn (production)",
      }
    `);
  });

  it("renders the resolved update without buttons", () => {
    const [, critical] = fixtureAlerts("resolved");

    const post = criticalAlertPost({
      alert: critical,
      alertClass: "critical",
      model: "churn",
      modelKey: MODEL_KEY,
      ticket: undefined,
    });

    expect(post.text).toBe(
      "Resolved: ModelServingHighErrorRate on churn (production)",
    );
    expect(post.blocks.map((block) => block.type)).toEqual([
      "header",
      "section",
      "section",
      "context",
    ]);
  });
});

describe("jiraRejectedNotice", () => {
  it("lists Jira's field errors", () => {
    const notice = jiraRejectedNotice({
      alertname: "ModelFeatureDrift",
      model: "churn",
      project: "MLOPS",
      issueType: "Task",
      status: 400,
      errorMessages: [],
      fieldErrors: { customfield_10010: "Team is required." },
    });

    expect(notice.text).toMatchInlineSnapshot(`
      ":warning: Jira rejected the Task for alert ModelFeatureDrift on churn in project MLOPS (HTTP 400):
      • \`customfield_10010\`: Team is required.
      Gantry does not retry a rejected ticket. Make the listed fields optional for this issue type, or change \`jira\` in \`.github/gantry.yml\`; alerts that fire after that open tickets again. This notice is posted once a day per error."
    `);
  });
});
