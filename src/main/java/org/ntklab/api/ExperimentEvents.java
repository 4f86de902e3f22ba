package org.ntklab.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ntklab.config.NtklabProperties;
import org.ntklab.jobs.ExperimentService;
import org.ntklab.jobs.Job;
import org.ntklab.jobs.JobStatus;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events for experiments. The database is polled (so a job running on another
 * instance is followed too); a subscriber gets a {@code progress} event whenever status or step
 * changes and, once the job has ended, a {@code state} event with the whole experiment, and the
 * stream completes.
 */
@Component
public class ExperimentEvents implements DisposableBean {

    private static final long TIMEOUT_MILLIS = 3_600_000;

    /** The payload of a progress event. */
    @Schema(description = "The data of a 'progress' event")
    public record ProgressEvent(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) UUID id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) JobStatus status,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) int step,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) int steps,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) double fraction) {
    }

    /** The event names of the stream. */
    public enum EventName {
        @JsonProperty("progress") PROGRESS,
        @JsonProperty("state") STATE
    }

    /**
     * The stream's messages as the document describes them (not a type the service builds): each
     * is {@code event: <name>} and {@code data: <JSON>}, the shape OpenAPI 3.2 calls itemSchema.
     */
    @Schema(name = "ExperimentEvent", description = "One message of the text/event-stream: 'event: progress' with "
            + "a ProgressEvent as data, whenever the status or the step changes; finally 'event: state' with the whole "
            + "ExperimentView as data, after which the stream ends.")
    public record ExperimentEventStream(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the SSE event name") EventName event,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the SSE data line, JSON",
                    oneOf = {ProgressEvent.class, ExperimentView.class}) Object data) {
    }

    private final ExperimentService service;
    private final ExperimentViews views;
    private final Map<UUID, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ntklab-events");
        t.setDaemon(true);
        return t;
    });

    private static final class Subscriber {
        final SseEmitter emitter;
        ProgressEvent last;

        Subscriber(SseEmitter emitter) {
            this.emitter = emitter;
        }
    }

    public ExperimentEvents(ExperimentService service, ExperimentViews views, NtklabProperties properties) {
        this.service = service;
        this.views = views;
        long period = Math.max(100, properties.poll().toMillis());
        poller.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
    }

    /** A new stream for experiment {@code id}, with its current progress sent at once. */
    public SseEmitter subscribe(UUID id) {
        SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
        Subscriber subscriber = new Subscriber(emitter);
        subscribers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(subscriber);
        Runnable remove = () -> {
            List<Subscriber> list = subscribers.get(id);
            if (list != null) {
                list.remove(subscriber);
            }
        };
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        poller.execute(() -> push(id));
        return emitter;
    }

    private void poll() {
        for (UUID id : subscribers.keySet()) {
            try {
                push(id);
            } catch (RuntimeException e) {
                // The database may be briefly unreachable: try again at the next poll.
            }
        }
        subscribers.entrySet().removeIf(e -> e.getValue().isEmpty());
    }

    private void push(UUID id) {
        List<Subscriber> list = subscribers.get(id);
        if (list == null || list.isEmpty()) {
            return;
        }
        Optional<Job> found = service.find(id);
        if (found.isEmpty()) {
            list.forEach(s -> s.emitter.complete());
            list.clear();
            return;
        }
        Job job = found.get();
        ExperimentView view = views.of(job);
        ProgressEvent event = new ProgressEvent(id, job.status(), view.progress().step(), view.progress().steps(),
                view.progress().fraction());
        for (Subscriber s : list) {
            try {
                if (!event.equals(s.last)) {
                    s.emitter.send(SseEmitter.event().name("progress").data(event));
                    s.last = event;
                }
                if (job.status().isTerminal()) {
                    s.emitter.send(SseEmitter.event().name("state").data(view));
                    s.emitter.complete();
                    list.remove(s);
                }
            } catch (IOException | IllegalStateException e) {
                list.remove(s);
            }
        }
    }

    @Override
    public void destroy() {
        poller.shutdownNow();
        subscribers.values().forEach(list -> list.forEach(s -> s.emitter.complete()));
    }
}
