const fs = require("node:fs");
const path = require("node:path");

module.exports = (env, argv) => ({
  entry: "./src/index.js",
  output: { path: path.resolve(__dirname, "dist"), filename: "main.js", clean: true },
  target: "node",
  plugins: [
    // Only for test/webpack.e2e.test.ts: when FAP_EXAMPLE_BUILD_LOG names a file, every build
    // appends its mode to it, so the test can count how many times webpack ran.
    {
      apply: (compiler) =>
        compiler.hooks.done.tap("fap-example-build-log", () => {
          if (process.env.FAP_EXAMPLE_BUILD_LOG) fs.appendFileSync(process.env.FAP_EXAMPLE_BUILD_LOG, `${argv.mode}\n`);
        }),
    },
  ],
});
