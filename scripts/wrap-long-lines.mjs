// Re-formats, with prettier at width 120, only the statements that hold a line over 120
// characters, and leaves every other line as it is. Prettier is not a dependency:
//   npm i --no-save prettier@3 && node scripts/wrap-long-lines.mjs $(git ls-files '*.ts')
// Long string literals stay long (prettier does not split strings): wrap those by hand.
import * as fs from "node:fs";
import * as prettier from "prettier";

const WIDTH = 120;
for (const file of process.argv.slice(2)) {
  try {
    await wrap(file);
  } catch (error) {
    // A file prettier cannot read in range mode is left as it is; the others still get done.
    console.error(`wrap-long-lines: ${file} left as it was: ${String(error.message).split("\n")[0].slice(0, 200)}`);
  }
}

async function wrap(file) {
  let text = fs.readFileSync(file, "utf8");
  for (let pass = 0; pass < 5; pass++) {
    let offset = 0;
    const ranges = [];
    for (const line of text.split("\n")) {
      if (line.length > WIDTH) ranges.push([offset, offset + line.length]);
      offset += line.length + 1;
    }
    const before = text;
    // From the end, so each range's offsets still hold when it is formatted.
    for (const [rangeStart, rangeEnd] of ranges.reverse()) {
      text = await prettier.format(text, { parser: "typescript", printWidth: WIDTH, rangeStart, rangeEnd });
    }
    if (text === before) break;
  }
  fs.writeFileSync(file, text);
}
