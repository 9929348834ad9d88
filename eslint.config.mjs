// Lint config: typescript-eslint's recommended type-aware-free rules over every TypeScript folder.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/dist/**", ".bench/**", ".harness/**", "test/serialization/golden/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // The provider shims must call require() inside their methods (see DESIGN.md, serialization rule), and the
      // client loads undici on its first request (zstack/pool.ts).
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Plain CommonJS, so that no TypeScript compiler runs in what is measured: the benchmark's fleet program and the
    // profiler it preloads into the program and the provider host.
    files: ["tools/bench/cli-fleet-project/**/*.js", "tools/bench/cpu-profile-preload.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        __dirname: "readonly",
        setTimeout: "readonly",
      },
    },
  },
);
