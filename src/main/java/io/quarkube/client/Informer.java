package io.quarkube.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.quarkube.registry.ResourceService;
import io.quarkube.registry.ResourceType;
import io.quarkube.storage.CacheWatcher;
import io.quarkube.storage.WatchEvent;
import io.smallrye.mutiny.Uni;

/**
 * A local, always-current copy of one kind (in one namespace or all), fed by a watch through the
 * resource service, with handlers told of every add, update and delete — client-go's shared
 * informer in small. Handlers run on the watch's thread in revision order: they must only look
 * and enqueue. Reads of the cache are safe from any thread.
 */
public final class Informer<T extends HasMetadata> {

    /** Told of changes; the defaults do nothing. */
    public interface Handler<T> {
        default void onAdd(T object) {
        }

        default void onUpdate(T before, T after) {
        }

        default void onDelete(T object) {
        }

        /** A handler made of three actions, one per kind of change. */
        static <T> Handler<T> of(Consumer<T> added, BiConsumer<T, T> updated, Consumer<T> deleted) {
            return new Handler<>() {
                @Override
                public void onAdd(T object) {
                    added.accept(object);
                }

                @Override
                public void onUpdate(T before, T after) {
                    updated.accept(before, after);
                }

                @Override
                public void onDelete(T object) {
                    deleted.accept(object);
                }
            };
        }

        /** Calls action with the object of every add, update (the new state) and delete. */
        static <T> Handler<T> onEveryChange(Consumer<T> action) {
            return of(action, (before, after) -> action.accept(after), action);
        }

        /**
         * Calls action with the object of every add and delete, and with both states of an update:
         * a change of labels concerns what the old state matched as well as what the new one does.
         */
        static <T> Handler<T> onEveryChangeOldAndNew(Consumer<T> action) {
            return of(action, (before, after) -> {
                action.accept(before);
                action.accept(after);
            }, action);
        }

        /** Calls action with the object of every add and update (the new state); deletes are ignored. */
        static <T> Handler<T> onAddOrUpdate(Consumer<T> action) {
            return of(action, (before, after) -> action.accept(after), object -> {
            });
        }
    }

    private static final Logger LOG = Logger.getLogger(Informer.class);

    private final ResourceService resources;
    private final ResourceType type;
    private final Class<T> kind;
    private final String namespace;
    private final Map<String, T> objects = new ConcurrentHashMap<>();
    private final List<Handler<T>> handlers = new CopyOnWriteArrayList<>();
    private volatile CacheWatcher watcher;
    private volatile boolean stopped;
    /** While a restarted watch re-delivers the current state: the keys it has delivered so far. */
    private volatile Set<String> relisted;

    Informer(ResourceService resources, ResourceType type, Class<T> kind, String namespace) {
        this.resources = resources;
        this.type = type;
        this.kind = kind;
        this.namespace = namespace == null ? "" : namespace;
    }

    /** Adds a handler; call before {@link #start()} so that it also sees the initial adds. */
    public Informer<T> addHandler(Handler<T> handler) {
        handlers.add(handler);
        return this;
    }

    /** Starts watching; completes once the cache holds the current state (client-go's HasSynced). */
    public Uni<Void> start() {
        stopped = false;
        return resources.watch(type, namespace, object -> true, this::apply, this::restartUnlessStopped)
                .invoke(started -> watcher = started).replaceWithVoid();
    }

    public void stop() {
        stopped = true;
        CacheWatcher current = watcher;
        if (current != null) {
            resources.unwatch(current);
        }
    }

    public T get(String namespace, String name) {
        return objects.get(key(namespace, name));
    }

    public Collection<T> list() {
        return List.copyOf(objects.values());
    }

    public List<T> list(Predicate<? super T> filter) {
        List<T> selected = new ArrayList<>();
        for (T object : objects.values()) {
            if (filter.test(object)) {
                selected.add(object);
            }
        }
        return selected;
    }

    private void apply(WatchEvent event) {
        if (event.type() == WatchEvent.Type.BOOKMARK || event.object() == null) {
            return;
        }
        T object = ApiClient.convert(event.object(), kind);
        String key = key(event.key().namespace(), event.key().name());
        Set<String> seen = relisted;
        if (seen != null) {
            seen.add(key);
        }
        switch (event.type()) {
            case ADDED, MODIFIED -> {
                T before = objects.put(key, object);
                for (Handler<T> handler : handlers) {
                    if (before == null) {
                        handler.onAdd(object);
                    } else {
                        handler.onUpdate(before, object);
                    }
                }
            }
            case DELETED -> {
                objects.remove(key);
                handlers.forEach(handler -> handler.onDelete(object));
            }
            default -> {
            }
        }
    }

    /**
     * The watch cache ends a watch only when it reloads (it fell behind compaction): watch again
     * from the current state, keeping the cache readable meanwhile, then drop (and report deleted)
     * what the new state no longer holds.
     */
    private void restartUnlessStopped() {
        if (stopped) {
            return;
        }
        LOG.debugf("informer of %s restarting", type.groupResource());
        relisted = ConcurrentHashMap.newKeySet();
        start().subscribe().with(ignored -> {
            Set<String> seen = relisted;
            relisted = null;
            objects.entrySet().removeIf(entry -> {
                if (seen.contains(entry.getKey())) {
                    return false;
                }
                handlers.forEach(handler -> handler.onDelete(entry.getValue()));
                return true;
            });
        }, failure -> LOG.warnf("informer of %s could not restart: %s", type.groupResource(), failure.getMessage()));
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
