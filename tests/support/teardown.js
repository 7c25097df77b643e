/** Global teardown: fails the run if a test wrote into the repository's tracked files. */
module.exports = async function teardown() {
  require("./tracked-files").check();
};
