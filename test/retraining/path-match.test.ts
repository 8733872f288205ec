import { describe, expect, it } from "vitest";
import { filesMatchingPaths } from "../../src/retraining/path-match.js";

describe("filesMatchingPaths", () => {
  it.each([
    [["models/churn/**"], "models/churn/train.py", true],
    [["models/churn/**"], "models/churn/features/deep/x.py", true],
    [["models/churn/**"], "models/churn/.env.example", true],
    [["models/churn/**"], "models/churn-v2/train.py", false],
    // picomatch lets a trailing /** match the folder's own path too.
    [["models/churn/**"], "models/churn", true],
    [["models/churn/**"], "README.md", false],
    [["models/churn/*.py"], "models/churn/train.py", true],
    [["models/churn/*.py"], "models/churn/sub/train.py", false],
    [["**/*.sql"], "warehouse/churn/labels.sql", true],
    [["data/churn.csv", "models/churn/**"], "data/churn.csv", true],
    [[], "models/churn/train.py", false],
  ])("%j against %s is %s", (globs, file, matches) => {
    expect(filesMatchingPaths(globs, [file])).toEqual(matches ? [file] : []);
  });
});
