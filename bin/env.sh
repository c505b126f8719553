# Sourced by ./parley and ./run-tests: picks a JDK 21+ and quiets what newer JDKs say about
# Maven's own use of sun.misc.Unsafe (the option exists from JDK 23 on; older JDKs reject it).
JAVA_HOME=$("$(dirname "${BASH_SOURCE[0]}")/java-home")
export JAVA_HOME
java_major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null)
if [[ "${java_major:-0}" -ge 23 ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
