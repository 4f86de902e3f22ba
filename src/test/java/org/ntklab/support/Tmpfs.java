package org.ntklab.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test, to run out of disk space for real. Mounting needs root (and
 * a kernel that lets this container mount); {@link #available()} says whether it can be done.
 * Without it the tests that need it are skipped, unless {@code NTKLAB_REQUIRE_ROOT_FAULTS=true}
 * (CI sets it), when they fail instead.
 */
public final class Tmpfs implements AutoCloseable {

    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** For {@code @EnabledIf}: whether a tmpfs can be mounted here; throws when required and it cannot. */
    public static boolean available() {
        String why = null;
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            why = "not Linux";
        } else if (!"root".equals(System.getProperty("user.name"))) {
            why = "not running as root";
        } else {
            try (Tmpfs probe = mount("1m")) {
                Files.writeString(probe.path().resolve("probe"), "ok");
            } catch (IOException | RuntimeException e) {
                why = "cannot mount a tmpfs: " + e.getMessage();
            }
        }
        if (why != null && Boolean.parseBoolean(System.getenv("NTKLAB_REQUIRE_ROOT_FAULTS"))) {
            throw new IllegalStateException("NTKLAB_REQUIRE_ROOT_FAULTS is set but " + why);
        }
        return why == null;
    }

    /** Mounts a tmpfs of {@code size} (e.g. "48m") on a new temporary directory. */
    public static Tmpfs mount(String size) throws IOException {
        Path dir = Files.createTempDirectory("ntklab-tmpfs-");
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()));
        return new Tmpfs(dir);
    }

    public Path path() {
        return mountPoint;
    }

    /** Free bytes on the tmpfs. */
    public long free() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    /** Writes zeros into {@code file} until at most {@code leave} bytes are free (or the disk is full). */
    public void fill(Path file, long leave) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file)) {
            while (free() > leave) {
                out.write(chunk, 0, (int) Math.min(chunk.length, free() - leave));
            }
        } catch (IOException full) {
            if (free() > leave) {
                throw full;
            }
        }
    }

    /** Unmounts (lazily if a file on it is still open) and removes the directory. */
    @Override
    public void close() {
        try {
            try {
                run(List.of("umount", mountPoint.toString()));
            } catch (IOException busy) {
                run(List.of("umount", "-l", mountPoint.toString()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            Files.deleteIfExists(mountPoint);
        } catch (IOException stillInUse) {
            // a lazily unmounted directory goes once its last file is closed; the empty directory stays
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                String out = new String(p.getInputStream().readAllBytes());
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
