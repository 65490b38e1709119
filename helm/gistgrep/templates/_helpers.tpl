{{/*
Expand the name of the chart.
*/}}
{{- define "gistgrep.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
A default fully qualified app name, truncated at 63 characters (some Kubernetes name
fields are limited to that). If the release name contains the chart name, it is used as is.
*/}}
{{- define "gistgrep.fullname" -}}
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

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "gistgrep.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels. Call with (dict "ctx" $ "component" "api").
*/}}
{{- define "gistgrep.labels" -}}
helm.sh/chart: {{ include "gistgrep.chart" .ctx }}
{{ include "gistgrep.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Values.image.tag | default .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: gistgrep
{{- end }}

{{/*
Selector labels: stable across upgrades, so never the chart version. Call with
(dict "ctx" $ "component" "api").
*/}}
{{- define "gistgrep.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gistgrep.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end }}

{{/*
Name of one component's objects: <fullname>-api, <fullname>-worker.
*/}}
{{- define "gistgrep.componentName" -}}
{{- printf "%s-%s" (include "gistgrep.fullname" .ctx) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The service account to use.
*/}}
{{- define "gistgrep.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gistgrep.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The Secret holding credentials: the operator's, or the one this chart makes.
*/}}
{{- define "gistgrep.secretName" -}}
{{- if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else }}
{{- include "gistgrep.fullname" . }}
{{- end }}
{{- end }}

{{/*
An image reference. Call with (dict "ctx" $ "app" "api").
*/}}
{{- define "gistgrep.image" -}}
{{- $image := .ctx.Values.image }}
{{- $repository := printf "%s/gistgrep-%s" $image.repository .app }}
{{- if $image.registry }}
{{- $repository = printf "%s/%s" $image.registry $repository }}
{{- end }}
{{- printf "%s:%s" $repository ($image.tag | default .ctx.Chart.AppVersion) }}
{{- end }}

{{/*
KEDA and the HPA would fight over the worker Deployment's replicas: refuse to render both.
*/}}
{{- define "gistgrep.worker.autoscaled" -}}
{{- $scaling := .Values.worker.autoscaling }}
{{- if and $scaling.keda.enabled $scaling.hpa.enabled }}
{{- fail "worker.autoscaling.keda.enabled and worker.autoscaling.hpa.enabled are both true: choose one autoscaler for the worker, KEDA (scales on the scan queue's length) or the HPA (scales on CPU)." }}
{{- end }}
{{- if or $scaling.keda.enabled $scaling.hpa.enabled }}true{{ end }}
{{- end }}

{{/*
The container security context every gistgrep container gets.
*/}}
{{- define "gistgrep.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext }}
{{- end }}
