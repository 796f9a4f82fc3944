package io.grafanatokens.testing;

import io.grafanatokens.testing.ApiServerDispatcher.Call;

/** Turns an HTTP request to the Kubernetes API into the verb and resource RBAC checks. */
final class ApiCalls {
  private ApiCalls() {}

  static Call parse(String method, String rawPath, boolean byOperator) {
    String path = rawPath;
    String query = "";
    int q = rawPath.indexOf('?');
    if (q >= 0) {
      path = rawPath.substring(0, q);
      query = rawPath.substring(q + 1);
    }
    String[] p = path.replaceAll("^/+", "").split("/");
    String group;
    int i;
    if (p.length > 0 && p[0].equals("api")) {
      group = "";
      i = 2;
    } else if (p.length > 2 && p[0].equals("apis")) {
      group = p[1];
      i = 3;
    } else {
      return new Call(method.toLowerCase(), "", path, "", byOperator);
    }
    String namespace = "";
    if (p.length > i + 1 && p[i].equals("namespaces") && p.length > i + 2) {
      namespace = p[i + 1];
      i += 2;
    }
    String resource = p.length > i ? p[i] : "";
    boolean named = p.length > i + 1;
    if (p.length > i + 2) {
      resource = resource + "/" + p[i + 2];
    }
    if (resource.equals("namespaces") && named) {
      namespace = "";
    }
    String verb =
        switch (method.toUpperCase()) {
          case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase();
        };
    return new Call(verb, group, resource, namespace, byOperator);
  }
}
