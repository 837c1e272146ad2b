"""Drives quarkube with Debian's python3-kubernetes client and prints what it saw as one JSON document.

Usage: python_client.py KUBECONFIG NAMESPACE
Creates two ConfigMaps (one labelled), lists by label selector, then changes and deletes the labelled
one and watches from the list's resourceVersion (bounded by timeout_seconds) until it sees the delete.
"""
import json
import sys

from kubernetes import client, config, watch


def main(kubeconfig, namespace):
    config.load_kube_config(config_file=kubeconfig)
    v1 = client.CoreV1Api()
    result = {"serverMinor": client.VersionApi().get_code().minor}

    v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=namespace)))
    created = v1.create_namespaced_config_map(namespace, client.V1ConfigMap(
        metadata=client.V1ObjectMeta(name="py-selected", labels={"suite": "python"}), data={"greeting": "hello"}))
    v1.create_namespaced_config_map(namespace, client.V1ConfigMap(
        metadata=client.V1ObjectMeta(name="py-other"), data={"greeting": "other"}))
    result["created"] = {"name": created.metadata.name, "uid": created.metadata.uid,
                         "data": created.data}

    listed = v1.list_namespaced_config_map(namespace, label_selector="suite=python")
    result["selected"] = [item.metadata.name for item in listed.items]

    v1.patch_namespaced_config_map("py-selected", namespace, {"data": {"greeting": "changed"}})
    v1.delete_namespaced_config_map("py-selected", namespace)

    events = []
    stream = watch.Watch()
    for event in stream.stream(v1.list_namespaced_config_map, namespace, label_selector="suite=python",
                               resource_version=listed.metadata.resource_version, timeout_seconds=20):
        events.append({"type": event["type"], "name": event["object"].metadata.name,
                       "greeting": (event["object"].data or {}).get("greeting")})
        if event["type"] == "DELETED":
            stream.stop()
    result["events"] = events

    try:
        v1.read_namespaced_config_map("py-selected", namespace)
        result["readAfterDelete"] = 200
    except client.exceptions.ApiException as e:
        result["readAfterDelete"] = e.status
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
