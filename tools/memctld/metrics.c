// SPDX-License-Identifier: GPL-2.0-only
/*
 * memctld: /metrics (metrics.h).
 */
#include <string.h>

#include "fields.h"
#include "k8s.h"
#include "metrics.h"
#include "prom.h"

#ifndef MEMCTLD_VERSION
#define MEMCTLD_VERSION "0.0.0"
#endif

/* The labels of a Kubernetes path (prom_row_labels_fn); @arg: storage. */
static size_t k8s_labels(const struct memctl_cgroup_stats *s,
			 struct prom_label *l, void *arg)
{
	struct k8s_labels *k = arg;
	size_t n = 0;

	if (!k8s_parse(s->cgroup.path, k))
		return 0;
	if (k->qos_class)
		l[n++] = (struct prom_label){ "qos_class", k->qos_class };
	if (k->pod_uid[0])
		l[n++] = (struct prom_label){ "pod_uid", k->pod_uid };
	if (k->container_id[0])
		l[n++] = (struct prom_label){ "container_id", k->container_id };
	return n;
}

static void one(struct prom *p, const char *name, const char *type,
		const char *help, uint64_t v)
{
	prom_family(p, name, type, help);
	prom_sample_u64(p, NULL, 0, v);
}

static void write_agent(struct prom *p, const struct agent_stats *a)
{
	struct prom_label l = { "version", MEMCTLD_VERSION };

	prom_family(p, "memctld_info", "gauge",
		    "memctld, the node agent: its version, value 1.");
	prom_sample(p, &l, 1, "1");
	one(p, "memctld_module_loaded", "gauge",
	    "1 while memctld talks to a loaded memctl module, else 0.",
	    a->module_loaded);
	one(p, "memctld_module_loads_total", "counter",
	    "Times memctld found the memctl module loaded (at start or again after an unload).",
	    a->module_loads);
	one(p, "memctld_rules", "gauge", "Rules loaded.", a->rules);
	one(p, "memctld_cgroups", "gauge", "Cgroups memctld watches.",
	    a->cgroups);
	one(p, "memctld_managed_cgroups", "gauge",
	    "Cgroups whose policy memctld set, by a rule.", a->managed);
	one(p, "memctld_policy_applies_total", "counter",
	    "Policies memctld set.", a->applies);
	one(p, "memctld_policy_apply_errors_total", "counter",
	    "Policies the kernel refused to memctld.", a->apply_errors);
	one(p, "memctld_policy_removals_total", "counter",
	    "Policies memctld deleted because no rule matched their cgroup any more.",
	    a->removals);
	one(p, "memctld_reloads_total", "counter",
	    "Rule files memctld loaded again (SIGHUP).", a->reloads);
	one(p, "memctld_reload_errors_total", "counter",
	    "Reloads refused for errors in the file; the rules before stayed.",
	    a->reload_errors);
}

int metrics_write(struct membuf *out, const struct memctl_cgroup_stats *rows,
		  size_t n, const struct memctl_info *info,
		  const struct memctl_tier *tier,
		  const struct agent_stats *a)
{
	struct k8s_labels k;
	struct prom p;

	prom_init_mem(&p, out);
	prom_write_cgroups(&p, rows, n, k8s_labels, &k);
	if (info)
		prom_write_module(&p, info, tier);
	write_agent(&p, a);
	return prom_finish(&p);
}
