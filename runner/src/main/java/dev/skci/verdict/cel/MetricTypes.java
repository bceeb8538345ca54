package dev.skci.verdict.cel;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DurationProto;
import com.google.protobuf.DynamicMessage;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructTypeReference;
import dev.skci.observe.Doc;
import dev.skci.observe.Metrics;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CEL types of the metrics, derived from the {@link Metrics} records themselves, so the records stay
 * the one declaration: each record becomes a protobuf message (CEL's typed structs), each component a
 * field, {@code Duration} a {@code google.protobuf.Duration}, {@code List} a repeated field and
 * {@code Map<String, X>} a map. CEL then rejects {@code pods.craeted} when the expression is compiled,
 * not when it runs. Instances are converted to {@link DynamicMessage}s for evaluation.
 */
public final class MetricTypes {
    public static final String PACKAGE = "skci.metrics";

    private static final MetricTypes INSTANCE = new MetricTypes();

    private final Descriptors.FileDescriptor file;
    private final Map<Class<?>, Descriptors.Descriptor> descriptors = new LinkedHashMap<>();

    private MetricTypes() {
        Map<Class<?>, DescriptorProto> messages = new LinkedHashMap<>();
        collect(Metrics.class, messages);
        FileDescriptorProto.Builder f = FileDescriptorProto.newBuilder().setName("skci/metrics.proto").setPackage(PACKAGE)
                .setSyntax("proto3").addDependency("google/protobuf/duration.proto");
        messages.values().forEach(f::addMessageType);
        try {
            file = Descriptors.FileDescriptor.buildFrom(f.build(), new Descriptors.FileDescriptor[] {DurationProto.getDescriptor()});
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException("the metric records do not make valid CEL types: " + e.getMessage(), e);
        }
        messages.keySet().forEach(c -> descriptors.put(c, file.findMessageTypeByName(c.getSimpleName())));
    }

    public static MetricTypes get() {
        return INSTANCE;
    }

    public Descriptors.FileDescriptor file() {
        return file;
    }

    /** The CEL type of a metric record, for variable declarations. */
    public CelType typeOf(Class<?> record) {
        return StructTypeReference.create(PACKAGE + "." + record.getSimpleName());
    }

    /** The CEL type of a record component's Java type. */
    public CelType typeOf(Type t) {
        if (t == double.class || t == Double.class) {
            return SimpleType.DOUBLE;
        }
        if (t == boolean.class) {
            return SimpleType.BOOL;
        }
        if (t == String.class) {
            return SimpleType.STRING;
        }
        if (t == Duration.class) {
            return SimpleType.DURATION;
        }
        if (t instanceof Class<?> c && c.isRecord()) {
            return typeOf(c);
        }
        if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
            return ListType.create(typeOf(p.getActualTypeArguments()[0]));
        }
        if (t instanceof ParameterizedType p && p.getRawType() == Map.class) {
            return MapType.create(SimpleType.STRING, typeOf(p.getActualTypeArguments()[1]));
        }
        throw new IllegalArgumentException("no CEL type for " + t);
    }

    private static void collect(Class<?> record, Map<Class<?>, DescriptorProto> out) {
        if (out.containsKey(record)) {
            return;
        }
        out.put(record, null); // placeholder against cycles
        DescriptorProto.Builder m = DescriptorProto.newBuilder().setName(record.getSimpleName());
        int n = 1;
        for (RecordComponent rc : record.getRecordComponents()) {
            Type t = rc.getGenericType();
            FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(rc.getName()).setNumber(n++);
            if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
                f.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED);
                scalar(f, p.getActualTypeArguments()[0], out);
            } else if (t instanceof ParameterizedType p && p.getRawType() == Map.class) {
                String entry = capitalize(rc.getName()) + "Entry";
                FieldDescriptorProto.Builder value = FieldDescriptorProto.newBuilder().setName("value").setNumber(2);
                scalar(value, p.getActualTypeArguments()[1], out);
                m.addNestedType(DescriptorProto.newBuilder().setName(entry).setOptions(MessageOptions.newBuilder().setMapEntry(true))
                        .addField(FieldDescriptorProto.newBuilder().setName("key").setNumber(1).setType(FieldDescriptorProto.Type.TYPE_STRING))
                        .addField(value));
                f.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED).setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
                        .setTypeName("." + PACKAGE + "." + record.getSimpleName() + "." + entry);
            } else {
                scalar(f, t, out);
            }
            m.addField(f);
        }
        out.put(record, m.build());
    }

    private static void scalar(FieldDescriptorProto.Builder f, Type t, Map<Class<?>, DescriptorProto> out) {
        if (t == double.class || t == Double.class) {
            f.setType(FieldDescriptorProto.Type.TYPE_DOUBLE);
        } else if (t == boolean.class) {
            f.setType(FieldDescriptorProto.Type.TYPE_BOOL);
        } else if (t == String.class) {
            f.setType(FieldDescriptorProto.Type.TYPE_STRING);
        } else if (t == Duration.class) {
            f.setType(FieldDescriptorProto.Type.TYPE_MESSAGE).setTypeName(".google.protobuf.Duration");
        } else if (t instanceof Class<?> c && c.isRecord()) {
            collect(c, out);
            f.setType(FieldDescriptorProto.Type.TYPE_MESSAGE).setTypeName("." + PACKAGE + "." + c.getSimpleName());
        } else {
            throw new IllegalArgumentException("a metric cannot be of type " + t);
        }
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The value CEL evaluates for a metric value of the given Java type. */
    public Object toCel(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Duration d) {
            return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
        }
        if (value instanceof Record r) {
            return message(r);
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(v -> out.add(toCel(v)));
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, toCel(v)));
            return out;
        }
        return value;
    }

    /** A metric record as a protobuf message CEL can read. */
    public DynamicMessage message(Record r) {
        Descriptors.Descriptor d = descriptors.get(r.getClass());
        DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
        try {
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                Object v = rc.getAccessor().invoke(r);
                if (v == null) {
                    continue;
                }
                Descriptors.FieldDescriptor fd = d.findFieldByName(rc.getName());
                if (fd.isMapField()) {
                    Descriptors.Descriptor entry = fd.getMessageType();
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                        b.addRepeatedField(fd, DynamicMessage.newBuilder(entry).setField(entry.findFieldByName("key"), e.getKey())
                                .setField(entry.findFieldByName("value"), toCel(e.getValue())).build());
                    }
                } else if (fd.isRepeated()) {
                    for (Object item : (List<?>) v) {
                        b.addRepeatedField(fd, toCel(item));
                    }
                } else {
                    b.setField(fd, toCel(v));
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return b.build();
    }

    /** One line per variable path: name, CEL type, meaning; for docs/expectations.md (checked by a test). */
    public List<String> reference(String prefix, Class<?> record) {
        List<String> out = new ArrayList<>();
        reference(prefix, record, out);
        return out;
    }

    private void reference(String prefix, Class<?> record, List<String> out) {
        for (RecordComponent rc : record.getRecordComponents()) {
            String path = prefix.isEmpty() ? rc.getName() : prefix + "." + rc.getName();
            Doc doc = rc.getAnnotation(Doc.class);
            Type t = rc.getGenericType();
            out.add("| `" + path + "` | " + celName(t) + " | " + (doc == null ? "" : doc.value()) + " |");
            if (t instanceof Class<?> c && c.isRecord()) {
                reference(path, c, out);
            } else if (t instanceof ParameterizedType p && p.getActualTypeArguments()[p.getActualTypeArguments().length - 1]
                    instanceof Class<?> c && c.isRecord()) {
                reference(path + (p.getRawType() == List.class ? "[i]" : "[key]"), c, out);
            }
        }
    }

    private static String celName(Type t) {
        if (t == double.class || t == Double.class) {
            return "double";
        }
        if (t == boolean.class) {
            return "bool";
        }
        if (t == String.class) {
            return "string";
        }
        if (t == Duration.class) {
            return "duration";
        }
        if (t instanceof Class<?> c) {
            return c.getSimpleName();
        }
        ParameterizedType p = (ParameterizedType) t;
        Type[] a = p.getActualTypeArguments();
        return p.getRawType() == List.class ? "list(" + celName(a[0]) + ")" : "map(string, " + celName(a[1]) + ")";
    }
}
