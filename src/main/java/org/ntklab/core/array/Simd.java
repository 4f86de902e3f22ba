package org.ntklab.core.array;

import java.lang.System.Logger.Level;
import java.util.function.IntSupplier;

/**
 * Which code the element-wise kernels run: SIMD loops over the Vector API (the incubator module
 * {@code jdk.incubator.vector} of Java 17, whose transcendental lane-wise operators call Intel
 * SVML on x86-64) or plain scalar loops.
 *
 * <p>The Vector API is used only by classes that are loaded through {@link #load} after the module
 * was found in the boot layer ({@code --add-modules=jdk.incubator.vector} on the java command
 * line, as the Maven build, the Dockerfile and the Helm chart pass it), so this class and every
 * caller load and run without the module; the engine then takes the scalar path and says so once
 * in the log. The scalar path stays reachable in tests through the package-private switch
 * {@link #forceScalar}.
 */
public final class Simd {

    /** The element-wise code path, as the result's reproducibility block names it. */
    public enum Path {
        VECTOR_512("vector-512"),
        VECTOR_256("vector-256"),
        VECTOR_128("vector-128"),
        SCALAR("scalar");

        private final String label;

        Path(String label) {
            this.label = label;
        }

        /** "vector-512", "vector-256", "vector-128" or "scalar". */
        public String label() {
            return label;
        }
    }

    /** The class that reports the preferred vector size; loaded only when the module is present. */
    private static final String PROBE = "org.ntklab.core.array.VectorShape";
    private static final System.Logger LOG = System.getLogger(Simd.class.getName());
    private static final boolean MODULE_PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final Path AVAILABLE = detect();
    /** Tests only: run the scalar kernels although the vector ones are available. */
    private static volatile boolean forceScalar;

    private Simd() {
    }

    /** The path the kernels take now. */
    public static Path path() {
        return forceScalar ? Path.SCALAR : AVAILABLE;
    }

    /** Whether the kernels take a Vector API path now. */
    public static boolean vector() {
        return path() != Path.SCALAR;
    }

    /** The path the kernels take when not forced to scalar (what this JVM offers). */
    public static Path available() {
        return AVAILABLE;
    }

    /** Tests only: force the scalar kernels (true) or restore the available path (false). */
    static void forceScalar(boolean scalar) {
        forceScalar = scalar;
    }

    /**
     * An instance of {@code className} (a public class with a public no-argument constructor that
     * uses the Vector API), or null when the module is absent or the class cannot start.
     */
    public static <T> T load(String className, Class<T> type) {
        if (AVAILABLE == Path.SCALAR) {
            return null;
        }
        try {
            return type.cast(Class.forName(className).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.log(Level.WARNING, "element-wise kernels: " + className + " did not load, scalar loops instead", e);
            return null;
        }
    }

    private static Path detect() {
        if (!MODULE_PRESENT) {
            LOG.log(Level.INFO, "element-wise kernels: scalar loops (the Vector API module jdk.incubator.vector "
                    + "is absent; start the JVM with --add-modules=jdk.incubator.vector for SIMD kernels)");
            return Path.SCALAR;
        }
        try {
            int bits = ((IntSupplier) Class.forName(PROBE).getDeclaredConstructor().newInstance()).getAsInt();
            Path path = bits >= 512 ? Path.VECTOR_512 : bits >= 256 ? Path.VECTOR_256 : bits >= 128 ? Path.VECTOR_128
                    : Path.SCALAR;
            LOG.log(Level.INFO, "element-wise kernels: " + path.label() + " (Vector API, " + bits + "-bit vectors)");
            return path;
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.log(Level.WARNING, "element-wise kernels: the Vector API did not start, scalar loops instead", e);
            return Path.SCALAR;
        }
    }
}
