export { notify as default, notify } from "./notify.js";
export { PLUGIN_NAME } from "./name.js";
export { NOTIFY_KEYS, type NotifyOptions } from "./keys.js";
export { notifyMessage, headline, type NotifyMessage, type HostMessage } from "./message.js";
export { slackMessage, type SlackMessage, type SlackSection } from "./slack.js";
export { postJson, type PostResult } from "./post.js";
