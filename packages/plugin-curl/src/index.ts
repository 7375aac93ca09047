export { curl as default, curl } from "./curl.js";
export { PLUGIN_NAME } from "./name.js";
export { CURL_KEYS, curlKeys, type CurlOptions } from "./keys.js";
export { readSettings, type CurlSettings } from "./settings.js";
export { downloadCommand, curlConfig, CURL_RETRIES } from "./download-command.js";
export { downloadError, postinstallError, secretMask } from "./failure.js";
export { parseArtifactUrl, withoutCredentials, type ArtifactUrl } from "./url.js";
