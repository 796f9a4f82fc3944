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
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
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
import java.util.concurrent.atomic.AtomicReferenceArray;

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
    module.addDeserializer(String.class, new SharedStrings());
    mapper.registerModule(module);
    return new KubernetesSerialization(mapper, true);
  }

  /**
   * Equal values parsed again and again share one String: namespaces, kinds, condition types and
   * reasons, and the target and location hashes that every resource on one Grafana carries twice.
   * The caches hold each object once, but every event parses it anew, and what kept the previous
   * copy's strings (metric tags, resource ids) keeps them on: at 3,000 resources 49 of the 77
   * strings a resource kept were such duplicates, 3 KiB of its 14. A direct-mapped table of recent
   * values: a repeated value costs a reference, a unique one (a uid, a timestamp) only the slot it
   * takes over. Secret data (the keys) is never put in it.
   */
  static final class SharedStrings extends StringDeserializer {
    private static final int SLOTS = 1 << 13;
    private static final int MAX_LENGTH = 128;
    private final AtomicReferenceArray<String> recent = new AtomicReferenceArray<>(SLOTS);

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String s = super.deserialize(p, ctxt);
      if (s == null || s.length() > MAX_LENGTH || secretData(p.getParsingContext())) {
        return s;
      }
      int h = s.hashCode();
      int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
      String seen = recent.get(slot);
      if (s.equals(seen)) {
        return seen;
      }
      recent.lazySet(slot, s);
      return s;
    }

    /** A value of a Secret's data or stringData map. */
    private static boolean secretData(JsonStreamContext c) {
      JsonStreamContext map = c.inObject() ? c.getParent() : null;
      return map != null
          && ("data".equals(map.getCurrentName()) || "stringData".equals(map.getCurrentName()));
    }
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
