package io.grafanatokens.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.concurrent.RejectedExecutionException;

/** Teardown of the CRUD mock API server. */
public final class MockServers {
  private MockServers() {}

  /**
   * Stops the server. Its Vert.x shutdown can race the termination of its own event loop and throw
   * RejectedExecutionException ("event executor terminated") after the server has stopped; that is
   * not a failure of the test that used it.
   */
  public static void destroy(KubernetesMockServer server) {
    try {
      server.destroy();
    } catch (RejectedExecutionException e) {
      // already down
    }
  }
}
