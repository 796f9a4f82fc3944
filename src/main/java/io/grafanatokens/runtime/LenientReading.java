package io.grafanatokens.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.reconcile.ReadProblems;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * How the operator reads its resources: a field this build does not know is ignored (a CRD upgraded
 * before the Deployment must not stop the operator), and a field it cannot read is read as absent
 * and recorded in {@link ReadProblems}, so that one tenant's malformed resource is refused on its
 * own status instead of failing the informer — and with it every rotation of the cluster.
 *
 * <p>{@code metadata.managedFields} is never read: server-side apply's bookkeeping, a tree of maps
 * on every object a real API server returns, which no code here uses and which was most of the heap
 * at 10,000 resources when the informer caches kept it. Skipped while parsing, it is never
 * allocated, for every informer (whatever namespaces it watches) and every read alike. Writes then
 * carry none either, which an API server takes as "unchanged" (it keeps the object's own).
 */
public final class LenientReading {
  /** The kinds whose unreadable fields are recorded rather than fatal. */
  private static final Set<Class<?>> KINDS = Set.of(GrafanaServiceAccountToken.class);

  /**
   * The problems of the resource being read on this thread (resources nest in lists, not in each
   * other).
   */
  private static final ThreadLocal<Deque<List<String>>> READING =
      ThreadLocal.withInitial(ArrayDeque::new);

  private LenientReading() {}

  /** The serialization for the operator's Kubernetes client. */
  public static KubernetesSerialization serialization() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.addHandler(new Problems());
    mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
    SimpleModule module = new SimpleModule("lenient-reading");
    module.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyDeserializer(
              DeserializationConfig config,
              BeanDescription beanDesc,
              JsonDeserializer<?> deserializer) {
            return KINDS.contains(beanDesc.getBeanClass())
                ? new Recording(deserializer)
                : deserializer;
          }
        });
    mapper.registerModule(module);
    return new KubernetesSerialization(mapper, true);
  }

  /** ObjectMeta as the operator reads it. */
  @JsonIgnoreProperties(value = "managedFields", ignoreUnknown = true)
  private abstract static class WithoutManagedFields {}

  /** Brackets the reading of one resource and records what could not be read. */
  private static final class Recording extends DelegatingDeserializer {
    Recording(JsonDeserializer<?> delegate) {
      super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
      return new Recording(newDelegatee);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      List<String> problems = new ArrayList<>();
      READING.get().push(problems);
      try {
        Object read = super.deserialize(p, ctxt);
        if (!problems.isEmpty() && read instanceof HasMetadata resource) {
          ReadProblems.record(resource, problems);
        }
        return read;
      } finally {
        READING.get().pop();
      }
    }
  }

  /** A value of the wrong shape: noted with its path, read as absent. */
  private static final class Problems extends DeserializationProblemHandler {
    @Override
    public Object handleWeirdStringValue(
        DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg) {
      return note(ctxt, "is not a " + targetType.getSimpleName());
    }

    @Override
    public Object handleWeirdNumberValue(
        DeserializationContext ctxt, Class<?> targetType, Number value, String failureMsg) {
      return note(ctxt, "is not a " + targetType.getSimpleName());
    }

    @Override
    public Object handleUnexpectedToken(
        DeserializationContext ctxt,
        JavaType targetType,
        JsonToken t,
        JsonParser p,
        String failureMsg)
        throws IOException {
      if (READING.get().isEmpty()) {
        return NOT_HANDLED;
      }
      note(ctxt, "is not a " + targetType.getRawClass().getSimpleName());
      p.skipChildren();
      return null;
    }

    private static Object note(DeserializationContext ctxt, String what) {
      Deque<List<String>> reading = READING.get();
      if (reading.isEmpty()) {
        return NOT_HANDLED;
      }
      reading.peek().add(path(ctxt.getParser().getParsingContext()) + " " + what);
      return null;
    }

    private static String path(JsonStreamContext c) {
      Deque<String> parts = new ArrayDeque<>();
      for (JsonStreamContext x = c; x != null; x = x.getParent()) {
        if (x.getCurrentName() != null) {
          parts.push(x.getCurrentName());
        } else if (x.inArray()) {
          parts.push("[" + x.getCurrentIndex() + "]");
        }
      }
      return String.join(".", parts).replace(".[", "[");
    }
  }
}
