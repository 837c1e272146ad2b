/**
 * The quarkube node agent: the kubelet (and later the service proxy) of one node, or of many
 * simulated ones.
 *
 * <ul>
 *   <li>{@code cri} — the CRI {@code runtime.v1} client over the runtime's unix socket.</li>
 *   <li>{@code runtime} — the container runtime seen by the kubelet: {@code ContainerRuntime}, with
 *       the CRI implementation and the simulated one.</li>
 *   <li>{@code node} — node registration, status conditions and the lease heartbeat.</li>
 *   <li>{@code pods} — the pod workers: one per pod, driving it through the runtime and reporting status.</li>
 * </ul>
 */
package io.quarkube.agent;
