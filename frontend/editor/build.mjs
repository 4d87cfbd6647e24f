// Builds static/editor/ from src/: the minified script and stylesheet, and the licences of every npm
// package bundled into them. `npm ci && npm run build` (or `make editor` at the top of the repository).
//
// Each output starts with the SHA-256 of the sources it was built from (src/*, package-lock.json), so a
// test can tell, without npm, that the committed bundle is the build of the committed sources.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "static", "editor");

function sourceHash() {
  // Mirrors tests/test_rich_text_editor.py: src/ files by name, then package-lock.json.
  const hash = createHash("sha256");
  const files = readdirSync(join(here, "src")).sort().map((name) => join("src", name));
  for (const file of [...files, "package-lock.json"]) {
    hash.update(file + "\n");
    hash.update(readFileSync(join(here, file)));
  }
  return hash.digest("hex");
}

const banner = `/*! Alliance CMS rich-text editor; sources sha256:${sourceHash()}; licences: THIRD-PARTY-NOTICES.txt */`;
const common = { bundle: true, minify: true, legalComments: "none", banner: { js: banner, css: banner }, metafile: true, logLevel: "info" };

const script = await esbuild.build({
  ...common,
  entryPoints: [join(here, "src", "editor.js")],
  outfile: join(out, "editor.min.js"),
  format: "iife",
  target: ["es2020"],
});
const style = await esbuild.build({
  ...common,
  entryPoints: [join(here, "src", "editor.css")],
  outfile: join(out, "editor.min.css"),
});

// The licence of every package whose code is in the bundle, read from the package itself.
const packages = new Map();
for (const input of [...Object.keys(script.metafile.inputs), ...Object.keys(style.metafile.inputs)]) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match && !packages.has(match[1])) {
    const root = join(here, "node_modules", match[1]);
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const licenceFile = readdirSync(root).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text = licenceFile ? readFileSync(join(root, licenceFile), "utf8").trim() : "";
    packages.set(match[1], { version: manifest.version, license: manifest.license, text });
  }
}
const sections = [...packages.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, p]) => `${name} ${p.version} — ${p.license}\n\n${p.text || `(licence: ${p.license}; the package ships no licence file)`}`);
const notice = [
  "The rich-text editor in editor.min.js and editor.min.css bundles these npm packages, unmodified.",
  "Sources and build recipe: frontend/editor/ (npm ci && npm run build).",
  "",
  ...sections,
].join("\n\n" + "-".repeat(72) + "\n\n");
writeFileSync(join(out, "THIRD-PARTY-NOTICES.txt"), notice + "\n");
if (!existsSync(join(out, "editor.min.js"))) {
  throw new Error("no bundle written");
}
