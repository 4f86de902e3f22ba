{{/* Names and labels. */}}
{{- define "ntklab.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ntklab.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ntklab.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ntklab.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ntklab.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ntklab.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* True (non-empty) when the replicas share PostgreSQL; otherwise the pod runs the embedded H2. */}}
{{- define "ntklab.sharedDatabase" -}}
{{- if .Values.database.existingSecret }}true{{ end -}}
{{- end -}}

{{- define "ntklab.replicas" -}}
{{- if include "ntklab.sharedDatabase" . }}{{ .Values.replicaCount }}{{ else }}1{{ end -}}
{{- end -}}

{{/*
Unit conversions for the checks in "ntklab.validate". values.schema.json restricts the forms, so
these only need to understand what it admits.
*/}}

{{/* Milliseconds in a duration: 500ms, 20s, 1m, 2h. */}}
{{- define "ntklab.millis" -}}
{{- $d := toString . -}}
{{- $n := regexReplaceAll "^([0-9]+).*$" $d "${1}" | int64 -}}
{{- $unit := regexReplaceAll "^[0-9]+" $d "" -}}
{{- mul $n (get (dict "ms" 1 "s" 1000 "m" 60000 "h" 3600000) $unit) -}}
{{- end -}}

{{/* Bytes in a Kubernetes memory quantity: 4Gi, 512Mi, 8G, 1073741824. */}}
{{- define "ntklab.quantityBytes" -}}
{{- $q := toString . -}}
{{- $n := regexReplaceAll "^([0-9]+).*$" $q "${1}" | int64 -}}
{{- $unit := regexReplaceAll "^[0-9]+" $q "" -}}
{{- $units := dict "" 1 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 -}}
{{- mul $n (get $units $unit) -}}
{{- end -}}

{{/* Bytes in a Spring data size: 512MB, 4GB (binary units, as Spring's DataSize). */}}
{{- define "ntklab.dataSizeBytes" -}}
{{- $s := toString . -}}
{{- $n := regexReplaceAll "^([0-9]+).*$" $s "${1}" | int64 -}}
{{- $unit := regexReplaceAll "^[0-9]+" $s "" -}}
{{- $units := dict "B" 1 "KB" 1024 "MB" 1048576 "GB" 1073741824 "TB" 1099511627776 -}}
{{- mul $n (get $units $unit) -}}
{{- end -}}

{{/* The processors the JVM sees under a CPU limit (2, "1.5", 500m): the limit rounded up. */}}
{{- define "ntklab.cores" -}}
{{- $c := toString . -}}
{{- $millis := 0 -}}
{{- if hasSuffix "m" $c -}}
{{- $millis = trimSuffix "m" $c | int64 -}}
{{- else -}}
{{- $millis = mulf $c 1000 | ceil | int64 -}}
{{- end -}}
{{- div (add $millis 999) 1000 -}}
{{- end -}}

{{/* Experiments run at once per replica: ntklab.workers, or what the service chooses for 0. */}}
{{- define "ntklab.workers" -}}
{{- if gt (int .Values.ntklab.workers) 0 -}}
{{- .Values.ntklab.workers -}}
{{- else -}}
{{- max 1 (div (include "ntklab.cores" .Values.resources.limits.cpu | int64) (int64 .Values.ntklab.nd4jThreads)) -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the API keys' hashes: security.existingSecret, the chart's own when security.keys is set, else empty. */}}
{{- define "ntklab.keysSecret" -}}
{{- if .Values.security.existingSecret -}}
{{- .Values.security.existingSecret -}}
{{- else if .Values.security.keys -}}
{{- include "ntklab.fullname" . }}-api-keys
{{- end -}}
{{- end -}}

{{/* Fails the render when values contradict each other; renders nothing otherwise. */}}
{{- define "ntklab.validate" -}}
{{- $v := .Values -}}
{{- if and $v.security.existingSecret $v.security.keys -}}
{{- fail "set security.keys or security.existingSecret, not both" -}}
{{- end -}}
{{- if and $v.serviceMonitor.enabled (eq $v.security.anonymous "off") (not $v.serviceMonitor.authorization.secretName) -}}
{{- fail "serviceMonitor.enabled with security.anonymous off needs serviceMonitor.authorization.secretName: /actuator/prometheus needs an API key" -}}
{{- end -}}
{{- if not (include "ntklab.sharedDatabase" .) -}}
{{- if $v.autoscaling.enabled -}}
{{- fail "autoscaling.enabled needs database.existingSecret: without PostgreSQL the chart runs one replica on the embedded H2" -}}
{{- end -}}
{{- if $v.podDisruptionBudget.enabled -}}
{{- fail "podDisruptionBudget.enabled needs database.existingSecret: a budget over the single H2 replica would block node drains" -}}
{{- end -}}
{{- end -}}
{{- if $v.autoscaling.enabled -}}
{{- if gt (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas) -}}
{{- fail (printf "autoscaling.minReplicas (%v) exceeds autoscaling.maxReplicas (%v)" $v.autoscaling.minReplicas $v.autoscaling.maxReplicas) -}}
{{- end -}}
{{- end -}}
{{- if ge (include "ntklab.millis" $v.ntklab.heartbeat | int64) (include "ntklab.millis" $v.ntklab.lease | int64) -}}
{{- fail (printf "ntklab.heartbeat (%s) must be shorter than ntklab.lease (%s)" $v.ntklab.heartbeat $v.ntklab.lease) -}}
{{- end -}}
{{- $stopMillis := add (mul (int64 $v.preStopSleepSeconds) 1000) (include "ntklab.millis" $v.ntklab.shutdownGrace | int64) (include "ntklab.millis" $v.shutdownPhaseTimeout | int64) -}}
{{- if le (mul (int64 $v.terminationGracePeriodSeconds) 1000) $stopMillis -}}
{{- fail (printf "terminationGracePeriodSeconds (%v) must exceed preStopSleepSeconds (%v) + ntklab.shutdownGrace (%s) + shutdownPhaseTimeout (%s)" $v.terminationGracePeriodSeconds $v.preStopSleepSeconds $v.ntklab.shutdownGrace $v.shutdownPhaseTimeout) -}}
{{- end -}}
{{- $cores := include "ntklab.cores" $v.resources.limits.cpu | int64 -}}
{{- $workers := include "ntklab.workers" . | int64 -}}
{{- if gt (mul $workers (int64 $v.ntklab.nd4jThreads)) $cores -}}
{{- fail (printf "ntklab.workers (%d) x ntklab.nd4jThreads (%v) exceeds the %d core(s) of resources.limits.cpu (%v)" $workers $v.ntklab.nd4jThreads $cores $v.resources.limits.cpu) -}}
{{- end -}}
{{- if gt (add (int $v.jvm.heapPercent) (int $v.jvm.offHeapPercent)) (int $v.jvm.physicalPercent) -}}
{{- fail (printf "jvm.heapPercent (%v) + jvm.offHeapPercent (%v) must not exceed jvm.physicalPercent (%v)" $v.jvm.heapPercent $v.jvm.offHeapPercent $v.jvm.physicalPercent) -}}
{{- end -}}
{{- $offHeap := div (mul (include "ntklab.quantityBytes" $v.resources.limits.memory | int64) (int64 $v.jvm.offHeapPercent)) 100 -}}
{{- $needed := mul $workers (include "ntklab.dataSizeBytes" $v.ntklab.memoryBudget | int64) -}}
{{- if gt $needed $offHeap -}}
{{- fail (printf "%d worker(s) x ntklab.memoryBudget (%s) = %d bytes exceed the off-heap limit, resources.limits.memory (%s) x jvm.offHeapPercent (%v) / 100 = %d bytes" $workers $v.ntklab.memoryBudget $needed $v.resources.limits.memory $v.jvm.offHeapPercent $offHeap) -}}
{{- end -}}
{{- end -}}
