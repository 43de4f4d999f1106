import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { Actor } from '../common/actor';
import { clinicDateOf } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { FieldError, InvalidInput, NotFound, RuleViolation } from '../common/problems';
import { DEFAULT_PAGE_LIMIT, Page, pageOf } from '../common/paging';
import { inTransaction } from '../common/transaction';
import { parseOffsetDateTime } from '../common/validation';
import { LocationsService } from '../locations/locations.service';
import { PatientsService } from '../patients/patients.service';
import { summarizeOffers } from './domain/offer-summary';
import { windowProblem } from './domain/waitlist-fit';
import {
  CreateWaitlistEntryDto,
  OffersQueryDto,
  OffersReportResponse,
  toOfferResponse,
  toWaitlistEntryResponse,
  WaitlistEntryResponse,
  WaitlistQueryDto,
} from './dto/waitlist.dto';
import { WaitlistOffers } from './waitlist-offers.service';
import { WaitlistRepository } from './waitlist.repository';

const MAX_REPORT_DAYS = 366;

/** The waitlist API: entries (the front desk's) and what the offers achieved. Reads and writes are audited. */
@Injectable()
export class WaitlistService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: WaitlistRepository,
    private readonly offers: WaitlistOffers,
    private readonly patients: PatientsService,
    private readonly locations: LocationsService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateWaitlistEntryDto, actor: Actor): Promise<WaitlistEntryResponse> {
    const errors: FieldError[] = [];
    if (dto.to < dto.from) errors.push({ field: 'to', message: 'to must not be before from' });
    if (dto.to < clinicDateOf(this.clock.now())) errors.push({ field: 'to', message: 'to must not be in the past' });
    (dto.windows ?? []).forEach((window, i) => {
      const problem = windowProblem(window);
      if (problem) errors.push({ field: `windows.${i}`, message: problem });
    });
    if (!(await this.patients.find(dto.patientId))) errors.push({ field: 'patientId', message: 'no patient has this id' });
    if ((await this.locations.findUnknownIds(dto.locationIds)).length) errors.push({ field: 'locationIds', message: 'every locationId must be a clinic' });
    if (errors.length) throw new InvalidInput(errors);
    const entry = await this.dataSource.transaction(async (manager) => {
      const entry = await this.repository.insertEntry(manager, {
        patientId: dto.patientId,
        type: dto.type,
        locationIds: dto.locationIds,
        fromDate: dto.from,
        toDate: dto.to,
        windows: (dto.windows ?? []).map((w) => ({ ...(w.weekdays?.length ? { weekdays: [...w.weekdays].sort() } : {}), start: w.start, end: w.end })),
        priority: dto.priority ?? 0,
        createdBy: actor.id,
      });
      await this.audit.record(manager, actor, 'waitlist.create', 'waitlist_entry', entry.id, { patientId: entry.patientId, type: entry.type });
      return entry;
    });
    return toWaitlistEntryResponse(entry);
  }

  async list(query: WaitlistQueryDto, actor: Actor): Promise<Page<WaitlistEntryResponse>> {
    await this.locations.findOrFail(query.locationId);
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const rows = await this.repository.findActiveEntries({ locationId: query.locationId, type: query.type, afterId: query.cursor, limit });
    await this.audit.record(undefined, actor, 'waitlist.read', 'location', query.locationId, { count: rows.length });
    return pageOf(rows.map(toWaitlistEntryResponse), limit, (last) => last.id);
  }

  /** Takes the entry off the list; an offer it has open is withdrawn and offered to the next entry. */
  async remove(id: string, actor: Actor): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const entry = await this.repository.lockEntry(manager, id);
      if (!entry) throw new NotFound('Waitlist entry', id);
      if (entry.status !== 'active') throw new RuleViolation('status', `This waitlist entry is ${entry.status} already.`);
      await this.offers.withdrawForEntry(manager, id);
      await this.repository.closeEntry(manager, id, 'removed', this.clock.now(), null);
      await this.audit.record(manager, actor, 'waitlist.remove', 'waitlist_entry', id, { patientId: entry.patientId });
    });
  }

  async offersReport(query: OffersQueryDto, actor: Actor): Promise<OffersReportResponse> {
    const from = parseOffsetDateTime(query.from)!;
    const to = parseOffsetDateTime(query.to)!;
    if (to <= from) throw InvalidInput.field('to', 'to must be after from');
    if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000) throw InvalidInput.field('to', `a range of at most ${MAX_REPORT_DAYS} days`);
    await this.locations.findOrFail(query.locationId);
    const offers = await this.repository.findOffersMade(query.locationId, from, to);
    await this.audit.record(undefined, actor, 'waitlist.offers.read', 'location', query.locationId, { count: offers.length });
    return { offers: offers.map(toOfferResponse), summary: summarizeOffers(offers) };
  }
}
