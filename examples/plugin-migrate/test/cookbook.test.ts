import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

it("docs/cookbook/migrations.md shows the example's code, as it is", () => {
  const page = read("../../../docs/cookbook/migrations.md");
  const code = /```ts\n([\s\S]*?)```/.exec(page)?.[1];
  expect(code).toBe(read("../src/index.ts"));
});
