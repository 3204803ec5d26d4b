import { describe, expect, it } from "vitest";
import { html, raw } from "./html.ts";

describe("html", () => {
  it("escapes every interpolated string, attribute quotes included", () => {
    const name = `<script>alert("x")</script>' onmouseover='y`;
    expect(html`<p title="${name}">${name}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y</p>',
    );
  });

  it("keeps nested templates and raw markup, joins arrays and drops empty values", () => {
    const items = ["a&b", "c"].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${raw("<hr>")}${0}`.text).toBe(
      "<ul><li>a&amp;b</li><li>c</li></ul><hr>0",
    );
  });
});
