import type { ReactNode } from 'react';
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon } from '@mantine/core';
import { IconGripVertical } from '@tabler/icons-react';

export interface SortableRenderProps {
  /** The drag handle: focus it and press Space, then the arrow keys, then Space again. */
  handle: ReactNode;
  dragging: boolean;
}

function SortableItem({
  id,
  label,
  disabled,
  render,
  as: Element,
}: {
  id: string;
  label: string;
  disabled: boolean;
  render: (props: SortableRenderProps) => ReactNode;
  as: 'div' | 'tr';
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id, disabled });
  const style = {
    transform: CSS.Translate.toString(transform),
    transition,
    position: 'relative' as const,
    zIndex: isDragging ? 2 : undefined,
    background: isDragging ? 'var(--mantine-color-violet-0)' : undefined,
    boxShadow: isDragging ? 'var(--mantine-shadow-md)' : undefined,
    borderBottom: Element === 'tr' ? '1px solid var(--mantine-color-gray-3)' : undefined,
  };
  const handle = (
    <ActionIcon
      ref={setActivatorNodeRef}
      variant="subtle"
      color="gray"
      aria-label={`Drag to reorder ${label}`}
      disabled={disabled}
      style={{ cursor: disabled ? undefined : 'grab', touchAction: 'none' }}
      {...attributes}
      {...listeners}
    >
      <IconGripVertical size={16} />
    </ActionIcon>
  );
  return (
    <Element ref={setNodeRef} style={style} data-sortable-id={id}>
      {render({ handle, dragging: isDragging })}
    </Element>
  );
}

/**
 * A vertical list reordered by drag and drop, with the pointer or the keyboard (dnd-kit's
 * sensors announce moves to screen readers). `onMove` gets indexes; the caller owns the order.
 */
export function SortableList<T>({
  items,
  idOf,
  labelOf,
  onMove,
  renderItem,
  disabled = false,
  as = 'div',
}: {
  items: readonly T[];
  idOf: (item: T) => string;
  labelOf: (item: T) => string;
  onMove: (from: number, to: number) => void;
  renderItem: (item: T, index: number, props: SortableRenderProps) => ReactNode;
  disabled?: boolean;
  as?: 'div' | 'tr';
}) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = items.map(idOf);
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (over === null || active.id === over.id) return;
    const from = ids.indexOf(String(active.id));
    const to = ids.indexOf(String(over.id));
    if (from >= 0 && to >= 0) onMove(from, to);
  };
  return (
    // dnd-kit renders its screen-reader live region where the context sits; inside a <tbody> a
    // <div> is invalid HTML, so the region goes to the document body instead.
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ container: document.body }}>
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        {items.map((item, index) => (
          <SortableItem key={idOf(item)} id={idOf(item)} label={labelOf(item)} disabled={disabled} as={as} render={(props) => renderItem(item, index, props)} />
        ))}
      </SortableContext>
    </DndContext>
  );
}
