export * from "./errors.js";
export * from "./quote.js";
export * from "./remote.js";
