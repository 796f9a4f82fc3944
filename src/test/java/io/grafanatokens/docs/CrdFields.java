package io.grafanatokens.docs;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The field paths of a CRD as the reference writes them: dotted from spec or status down, array
 * items as {@code []} ({@code spec.restartTargets[].kind}), map values as {@code <key>}. Every
 * served version counts: a field of an old version still reaches users.
 */
final class CrdFields {
  private CrdFields() {}

  static Set<String> of(CustomResourceDefinition crd) {
    Set<String> paths = new TreeSet<>();
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      if (v.getSchema() == null || v.getSchema().getOpenAPIV3Schema() == null) {
        continue;
      }
      Map<String, JSONSchemaProps> top = v.getSchema().getOpenAPIV3Schema().getProperties();
      for (String root : new String[] {"spec", "status"}) {
        if (top != null && top.containsKey(root)) {
          descend(root, top.get(root), paths);
        }
      }
    }
    return paths;
  }

  private static void descend(String path, JSONSchemaProps schema, Set<String> paths) {
    if (schema.getProperties() != null) {
      new TreeMap<>(schema.getProperties())
          .forEach(
              (name, child) -> {
                String childPath = path + "." + name;
                paths.add(childPath);
                descend(childPath, child, paths);
              });
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      descend(path + "[]", schema.getItems().getSchema(), paths);
    }
    if (schema.getAdditionalProperties() != null
        && schema.getAdditionalProperties().getSchema() != null) {
      descend(path + ".<key>", schema.getAdditionalProperties().getSchema(), paths);
    }
  }
}
