import { describe, expect, it } from "vitest";
import { parseIsoDuration } from "./duration.ts";

const SECOND = 1_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("parseIsoDuration", () => {
  it.each([
    ["PT24H", 24 * HOUR],
    ["P30D", 30 * DAY],
    ["PT0S", 0],
    ["PT15M", 15 * 60 * SECOND],
    ["P1DT12H", DAY + 12 * HOUR],
    ["PT1.5S", 1_500],
    ["P2W", 14 * DAY],
    ["P1DT1H1M1.001S", DAY + HOUR + 61 * SECOND + 1],
  ])("parses %s", (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it.each([
    "",
    "P",
    "PT",
    "P1DT",
    "24h",
    "pt24h",
    "-PT1H",
    "P1Y",
    "P1M",
    "PT1H ",
    " PT1H",
    "PT1.5H",
    "P1.5D",
    "garbage",
    "PT1H\n",
  ])("refuses %j", (text) => {
    expect(parseIsoDuration(text)).toBeNull();
  });
});
