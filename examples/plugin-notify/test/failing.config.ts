// The example's config, with `hooks` that fail a phase on a host holding a marker file in its
// deploy path: how the test makes a run fail before or after publishing.
import example from "../deploy.config.ts";

const failIfMarked = (phase: string) => `test ! -e %(path)s/fail-${phase} || { echo "${phase} fails here on purpose" >&2; exit 1; }`;

export default {
  ...example,
  hooks: { updated: failIfMarked("updated"), published: failIfMarked("published") },
};
