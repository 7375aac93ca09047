export { upload as default, upload, STAGE_UPLOAD } from "./upload.js";
export { PLUGIN_NAME } from "./name.js";
export { UPLOAD_KEYS, uploadKeys, type UploadOptions } from "./keys.js";
export { MANIFEST_NAME, manifestText, parseManifest, type HeldFile } from "./manifest.js";
export { excluder } from "./exclude.js";
export { scanTree, type Tree, type TreeEntry } from "./tree.js";
export { tarHeader, type TarMember } from "./tar-header.js";
