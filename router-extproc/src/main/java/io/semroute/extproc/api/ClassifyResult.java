package io.semroute.extproc.api;

/** What one classification endpoint answers for one text (also one entry of a batch). */
sealed interface ClassifyResult permits IntentResponse, PiiResponse, SecurityResponse {}
