/** One jest run for the whole suite: unit, platform (HTTP), provider (HTTP), policies, e2e (real Pulumi CLI), reliability. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json", diagnostics: false }] },
  moduleNameMapper: { "^omnitenant$": "<rootDir>/sdk/index.ts" },
  testTimeout: 120_000,
  // e2e tests start Pulumi CLI processes; keep the machine's two cores for them.
  maxWorkers: 2,
};
