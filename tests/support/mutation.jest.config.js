/**
 * The tests Stryker runs against each mutant (`npm run mutation`): the unit-level tests of provider/
 * and policies/ — in-process or over HTTP to a platform the test starts; never the Pulumi engine.
 * Type errors of mutants are the TypeScript checker's job, so ts-jest only transpiles here.
 */
const path = require("node:path");

module.exports = {
  rootDir: path.resolve(__dirname, "..", ".."),
  testEnvironment: "node",
  roots: ["<rootDir>/tests/provider", "<rootDir>/tests/policies"],
  testMatch: ["**/*.test.ts"],
  // Belt and braces: nothing that starts the engine, installs the package, fuzzes or runs a fleet.
  testPathIgnorePatterns: ["/node_modules/", "/tests/(e2e|reliability|engine|install|fleet|drift|bench)/", "fuzz"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: { isolatedModules: true }, diagnostics: false }] },
  moduleNameMapper: { "^omnitenant$": "<rootDir>/sdk/index.ts" },
  testTimeout: 120_000,
};
