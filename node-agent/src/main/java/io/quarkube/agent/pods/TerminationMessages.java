package io.quarkube.agent.pods;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.quarkube.agent.cri.v1.ContainerState;
import io.quarkube.agent.cri.v1.ContainerStatus;
import io.quarkube.agent.cri.v1.Mount;

/**
 * The message of a terminated container, as the kubelet reads it: the file mounted at the container's
 * terminationMessagePath (at most 4096 bytes), or, with terminationMessagePolicy FallbackToLogsOnError, a
 * failed container's empty file, the end of its log (the last 80 lines, at most 2048 bytes). It follows
 * the runtime's own message after ": ".
 */
public final class TerminationMessages {

    public static final String POLICY_FALLBACK_TO_LOGS = "FallbackToLogsOnError";
    static final int MAX_FILE_BYTES = 4096;
    static final int MAX_LOG_LINES = 80;
    static final int MAX_LOG_BYTES = 2048;

    private TerminationMessages() {
    }

    /** The terminated container's message: the runtime's, with what the container left appended. */
    public static String message(ContainerStatus status) {
        String runtimeMessage = status.getMessage();
        if (status.getState() != ContainerState.CONTAINER_EXITED) {
            return runtimeMessage;
        }
        String written = written(status);
        if (written.isEmpty()) {
            return runtimeMessage;
        }
        return runtimeMessage.isEmpty() ? written : runtimeMessage + ": " + written;
    }

    private static String written(ContainerStatus status) {
        String path = status.getAnnotationsMap().getOrDefault(PodLabels.TERMINATION_MESSAGE_PATH, "");
        String message = "";
        if (!path.isEmpty()) {
            message = status.getMountsList().stream().filter(m -> m.getContainerPath().equals(path)).findFirst()
                    .map(Mount::getHostPath).map(host -> head(Path.of(host), MAX_FILE_BYTES)).orElse("");
        }
        boolean fallback = POLICY_FALLBACK_TO_LOGS.equals(status.getAnnotationsMap().get(PodLabels.TERMINATION_MESSAGE_POLICY))
                && status.getExitCode() != 0 && !status.getReason().equals("ContainerCannotRun");
        if (message.isEmpty() && fallback && !status.getLogPath().isEmpty()) {
            message = logTail(Path.of(status.getLogPath()));
        }
        return message;
    }

    private static String head(Path file, int maxBytes) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.min(maxBytes, in.length())];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            return "";
        }
    }

    /** The last lines of a log in the CRI format ({@code TIMESTAMP STREAM P|F CONTENT}), partial lines joined. */
    static String logTail(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            return "";
        }
        Deque<String> tail = new ArrayDeque<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String[] fields = line.split(" ", 4);
            if (fields.length < 3) {
                continue;
            }
            current.append(fields.length == 4 ? fields[3] : "");
            if (!fields[2].equals("P")) {
                tail.addLast(current.append('\n').toString());
                current.setLength(0);
                if (tail.size() > MAX_LOG_LINES) {
                    tail.removeFirst();
                }
            }
        }
        byte[] text = String.join("", tail).getBytes(StandardCharsets.UTF_8);
        int from = Math.max(0, text.length - MAX_LOG_BYTES);
        return new String(text, from, text.length - from, StandardCharsets.UTF_8);
    }
}
