// The Kubernetes manifests of examples/shadow checked against the published CRD schemas: the Argo Rollouts and
// Istio models of kubernetes-models-ts (generated from each project's CRDs; `validate()` runs the CRD's OpenAPI
// schema through Ajv). Any AnalysisTemplate or VirtualService in the folder is checked.
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { AnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate'
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'

const folder = resolve(import.meta.dirname, '../../examples/shadow')
const manifests = readdirSync(folder)
  .filter((f) => f.endsWith('.yaml') && f !== 'shadow.yaml')
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map((doc, i) => ({
      file,
      i,
      object: doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string } },
    })),
  )

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'argoproj.io/v1alpha1 AnalysisTemplate': AnalysisTemplate as never,
  'networking.istio.io/v1 VirtualService': VirtualService as never,
}

describe('examples/shadow manifests', () => {
  it('holds the Istio VirtualService and the Prometheus AnalysisTemplate', () => {
    const kinds = manifests.map((m) => m.object.kind)
    expect(kinds).toContain('VirtualService')
    expect(kinds).toContain('AnalysisTemplate')
  })

  it.each(manifests.map((m) => [`${m.file} #${m.i + 1} (${m.object.kind} ${m.object.metadata?.name})`, m] as const))(
    '%s validates against its CRD schema',
    (_name, m) => {
      const Model = MODELS[`${m.object.apiVersion} ${m.object.kind}`]
      expect(Model, `no CRD model for ${m.object.apiVersion} ${m.object.kind}`).toBeDefined()
      expect(() => new (Model as NonNullable<typeof Model>)(m.object as never).validate()).not.toThrow()
    },
  )

  it('the CRD check fails on a broken manifest (so it can fail)', () => {
    const template = manifests.find((m) => m.object.kind === 'AnalysisTemplate')?.object as Record<string, unknown>
    const broken = structuredClone(template) as { spec: { metrics: { name?: unknown; provider?: unknown }[] } }
    ;(broken.spec.metrics[0] as { name?: unknown }).name = 42
    expect(() => new AnalysisTemplate(broken as never).validate()).toThrow()
    const service = manifests.find((m) => m.object.kind === 'VirtualService')?.object
    const badMirror = structuredClone(service) as { spec: { http: { mirrorPercentage?: unknown }[] } }
    ;(badMirror.spec.http[0] as { mirrorPercentage?: unknown }).mirrorPercentage = { value: 'all' }
    expect(() => new VirtualService(badMirror as never).validate()).toThrow()
  })
})
