// A deploy with the notifier of ./notify.ts: one JSON message per run to NOTIFY_URL, on
// success and on failure. Pointed at the local test hosts host1 and host2; nothing is
// deployed into the releases (add a plugin such as @fap/plugin-git for that).
import { defineConfig } from "@fap/cli";
import notify from "./notify.ts";

export default defineConfig({
  app_name: "notify-example",
  path: "/srv/www/%(app_name)s",
  plugins: [notify()],
  notify_url: "env:NOTIFY_URL",
  stage_role_configs: {
    production: { web: { hosts: ["host1", "host2"] } },
  },
});
