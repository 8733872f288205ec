import { describe, expect, it } from "vitest";
import { closestName, editDistance } from "../../src/text/closest-name.js";

const MODELS = ["churn", "fraud", "example-user/Hello-World:churn"];

describe("closestName", () => {
  it.each([
    { input: "chrun", expected: "churn" },
    { input: "chur", expected: "churn" },
    { input: "churm", expected: "churn" },
    { input: "Churn", expected: "churn" },
    { input: "frud", expected: "fraud" },
    { input: "example-user/Hello-World:chrun", expected: MODELS[2] },
  ])("suggests $expected for $input", ({ input, expected }) => {
    expect(closestName(input, MODELS)).toBe(expected);
  });

  it.each([
    { input: "pricing" },
    { input: "xy" },
    { input: "" },
    { input: "churnfraud" },
  ])("suggests nothing for $input", ({ input }) => {
    expect(closestName(input, MODELS)).toBeUndefined();
  });

  it("suggests nothing without candidates", () => {
    expect(closestName("churn", [])).toBeUndefined();
  });

  it("prefers the nearest candidate", () => {
    expect(closestName("stagin", ["staging", "string", "dev"])).toBe("staging");
  });
});

describe("editDistance", () => {
  it.each([
    { a: "", b: "", distance: 0 },
    { a: "churn", b: "churn", distance: 0 },
    { a: "", b: "dev", distance: 3 },
    { a: "churn", b: "chur", distance: 1 },
    { a: "churn", b: "chorn", distance: 1 },
    { a: "churn", b: "chrun", distance: 1 },
    { a: "staging", b: "production", distance: 9 },
  ])("measures $a to $b as $distance", ({ a, b, distance }) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});
