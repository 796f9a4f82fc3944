{{/* The chart's name, or nameOverride. */}}
{{- define "grafana-token-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the release's objects: the release name when it already holds the chart's name. */}}
{{- define "grafana-token-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "grafana-token-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "grafana-token-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "grafana-token-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "grafana-token-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "grafana-token-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "grafana-token-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name: the ServiceAccount to run as when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Where the leader-election Lease lives (OPERATOR_NAMESPACE). */}}
{{- define "grafana-token-operator.operatorNamespace" -}}
{{- default .Release.Namespace .Values.operatorNamespace }}
{{- end }}

{{/*
The Lease's name is fixed in the operator (OperatorRuntime.LEASE_NAME): two releases sharing an
operatorNamespace would share one leader.
*/}}
{{- define "grafana-token-operator.leaseName" -}}
grafana-token-operator
{{- end }}

{{/*
What the operator calls in a watched namespace: deploy/clusterrole.yaml (HelmChartTest fails when
the two differ). Pass a dict with "cluster" true for the ClusterRole, false for a namespace's Role.
*/}}
{{- define "grafana-token-operator.watchRules" -}}
# its resource: the informer (list, watch), the finalizer (patch), and JOSDK's re-read when a
# finalizer patch meets a conflict (get)
- apiGroups: ["grafanatokens.io"]
  resources: ["grafanaserviceaccounttokens"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["grafanatokens.io"]
  resources: ["grafanaserviceaccounttokens/status"]
  verbs: ["patch"]
# the connections tokens name: their informers (list, watch) and their status (no finalizer)
{{- if .cluster }}
- apiGroups: ["grafanatokens.io"]
  resources: ["grafanaconnections", "clustergrafanaconnections"]
  verbs: ["list", "watch"]
- apiGroups: ["grafanatokens.io"]
  resources: ["grafanaconnections/status", "clustergrafanaconnections/status"]
  verbs: ["patch"]
{{- else }}
- apiGroups: ["grafanatokens.io"]
  resources: ["grafanaconnections"]
  verbs: ["list", "watch"]
- apiGroups: ["grafanatokens.io"]
  resources: ["grafanaconnections/status"]
  verbs: ["patch"]
{{- end }}
# the Secrets it writes and the credentials Secrets it reads by name; RBAC cannot narrow
# list/watch to the operator's label selector
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create"]
{{- if .cluster }}
# whether a namespace is terminating and its labels: one cluster-wide watch instead of a GET per
# issue; a Role cannot grant it (the operator then relies on the write's 403 "being terminated")
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["list", "watch"]
{{- end }}
# restart targets: the pod-template annotation grafanatokens.io/restartedAt
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets", "daemonsets"]
  verbs: ["patch"]
{{- end }}
