// The package ships the license it declares and its changelog, the same texts as the repository's root.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const ROOT = path.join(__dirname, "..", "..");
const PROVIDER = path.join(ROOT, "provider");

describe("package: license and changelog", function () {
  this.timeout(60_000);
  let packed: readonly string[];

  before(async () => {
    const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--loglevel=error"], {
      cwd: PROVIDER,
    });
    const [tarball] = JSON.parse(stdout) as { files: { path: string }[] }[];
    packed = tarball!.files.map((file) => file.path);
  });

  for (const name of ["LICENSE", "CHANGELOG.md"]) {
    it(`ships ${name}, the same text as the repository's`, () => {
      assert.ok(
        packed.includes(name),
        `${name} is not in the tarball: add it to provider/package.json "files"`,
      );
      assert.equal(
        readFileSync(path.join(PROVIDER, name), "utf8"),
        readFileSync(path.join(ROOT, name), "utf8"),
        `provider/${name} differs from the root's: cp ${name} provider/${name}`,
      );
    });
  }

  it("the license is the Apache License 2.0 the package declares", () => {
    const manifest = JSON.parse(readFileSync(path.join(PROVIDER, "package.json"), "utf8")) as {
      license: string;
    };
    assert.equal(manifest.license, "Apache-2.0");
    const license = readFileSync(path.join(ROOT, "LICENSE"), "utf8");
    assert.match(license, /^Copyright \d{4} The pulumi-zstack-vm authors\n/);
    assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
    assert.match(license, /END OF TERMS AND CONDITIONS/);
  });

  it("the changelog has an Unreleased section above the released versions, and 0.1.0 among them", () => {
    const headings = [...readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8").matchAll(/^## (.+)$/gm)].map(
      (m) => m[1],
    );
    assert.equal(headings[0], "Unreleased");
    assert.ok(headings.includes("0.1.0"), `no 0.1.0 entry among ${headings.join(", ")}`);
  });
});
