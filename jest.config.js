/**
 * The whole suite, in two projects:
 *   unit   — everything that runs in-process or over HTTP to a platform started by the test;
 *   engine — tests that start the Pulumi CLI or install the package (e2e, reliability, engine, install).
 * Engine tests spawn the compiled provider and CLI from dist/, so the global setup compiles the
 * current source first (incremental: quick when nothing changed).
 * `npm run test:unit` selects the first; ts-jest type-checks each test file (a type error fails it).
 */
const engineDirs = ["e2e", "reliability", "engine", "install"];

const shared = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] },
  moduleNameMapper: { "^omnitenant$": "<rootDir>/sdk/index.ts" },
};

module.exports = {
  // The engine tests, and the provision fingerprint, use the compiled dist/: compile the current source first.
  globalSetup: "<rootDir>/tests/support/compile.js",
  // ...and fail the run if a test wrote into the repository's tracked files.
  globalTeardown: "<rootDir>/tests/support/teardown.js",
  testTimeout: 120_000,
  // e2e tests start Pulumi CLI processes; keep the machine's two cores for them.
  maxWorkers: 2,
  projects: [
    {
      ...shared,
      displayName: "unit",
      roots: ["<rootDir>/tests"],
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", ...engineDirs.map((d) => `<rootDir>/tests/${d}/`)],
    },
    {
      ...shared,
      displayName: "engine",
      roots: engineDirs.map((d) => `<rootDir>/tests/${d}`),
      testMatch: ["**/*.test.ts"],
    },
  ],
};
