/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memctld: what a Kubernetes cgroup's path says (memctld(8), METRICS).
 *
 * The kubelet names its cgroups after the pod's QoS class, the pod's UID
 * and the container's ID, with one of two cgroup drivers:
 *
 *   cgroupfs  /kubepods/pod<uid>/<cid>                    (Guaranteed)
 *             /kubepods/burstable/pod<uid>/<cid>
 *             /kubepods/besteffort/pod<uid>/<cid>
 *   systemd   /kubepods.slice/kubepods-pod<uid_>.slice/<rt>-<cid>.scope
 *             /kubepods.slice/kubepods-burstable.slice/
 *                 kubepods-burstable-pod<uid_>.slice/<rt>-<cid>.scope
 *             (and besteffort alike)
 *
 * where <uid_> is the UID with '_' for '-', and <rt> the runtime's prefix
 * (cri-containerd, crio, docker...).  The kubepods cgroup may lie below
 * another (--cgroup-root): the first component named "kubepods", or ending
 * in "kubepods.slice", starts the match.
 */
#ifndef MEMCTLD_K8S_H
#define MEMCTLD_K8S_H

#include <stdbool.h>

#define K8S_UID_MAX	64	/* a UID is 36 characters */
#define K8S_CID_MAX	129	/* an ID is 64 hex digits */

struct k8s_labels {
	const char *qos_class;	/* "Guaranteed", "Burstable", "BestEffort" */
	char pod_uid[K8S_UID_MAX];	/* "" below the pod level */
	char container_id[K8S_CID_MAX];	/* "" above the container level */
};

/*
 * Fill @l from @path.  Return: true if @path is the kubepods cgroup's or
 * below it (then qos_class is set for a QoS or pod cgroup and below, the
 * UID for a pod and below, the ID for a container), false otherwise (@l
 * is then empty).
 */
bool k8s_parse(const char *path, struct k8s_labels *l);

#endif /* MEMCTLD_K8S_H */
